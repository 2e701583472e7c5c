import { basename, dirname, isAbsolute, resolve } from "node:path";
import type { CheckedProgram } from "../../src/check/check-script.js";
import { hasErrors, type Diagnostic } from "../../src/syntax/diagnostic.js";
import { formatDiagnostic } from "../../src/syntax/format-diagnostic.js";
import type { RunInput, RunResult } from "../../src/runtime/run-program.js";
import { compileSource } from "../../src/session/compile-script.js";
import { runCompiled } from "../../src/session/run-script.js";
import { AnswerBook, type Answer, type Question } from "../../src/runtime/questions.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import type { FolderEntry } from "../../src/runtime/folders-and-runs.js";
import type { ModelResolver } from "../../src/llm/model-resolver.js";

/**
 * Runs a script string the way `prose run` does — the session service's compile, then its run — against an in-memory
 * world: `say` lines are captured, the clock is fixed, files live in a map, sleeping is instant.
 */

/** Tuesday 5 November 2024, 09:30:00 local time (dates are read with local getters). */
export const FIXED_NOW = new Date(2024, 10, 5, 9, 30, 0);

export const DEFAULT_FILE = "/scripts/main.prose";

export interface ScriptOptions {
  /** The script's file name; relative paths in the script start at its folder. */
  file?: string;
  /** Files the script may read or learn, by path (relative ones start at the script's folder). */
  files?: Record<string, string | Uint8Array>;
  /** Extra folders that exist, for `write … to the file …`. */
  folders?: string[];
  /** Answers by question id, question text or fact name. */
  answers?: Record<string, Answer>;
  inputs?: RunInput[];
  now?: Date;
  /** Answers at a "terminal": makes the run interactive. */
  askPerson?: (question: Question) => Promise<Answer>;
  /** Where LLM procedures find their models (tests point it at the local provider emulators). */
  models?: ModelResolver;
  /** Web requests (`send a request to`), and which named secrets exist. */
  request?: RunContext["request"];
  hasSecret?: RunContext["hasSecret"];
}

export interface CheckOutcome {
  program: CheckedProgram;
  /** Parse and check diagnostics, as `prose check` shows them. */
  diagnostics: Diagnostic[];
  /** Each diagnostic formatted with its source line and caret. */
  formatted: string[];
}

export interface ScriptOutcome extends CheckOutcome {
  /** Undefined when the script has errors and was not run. */
  result: RunResult | undefined;
  /** Lines said, as the context received them. */
  said: string[];
  warnings: string[];
  /** The in-memory files after the run, by absolute path. */
  files: Map<string, string | Uint8Array>;
  /** Milliseconds slept. */
  slept: number[];
}

export class InMemoryFiles {
  readonly files = new Map<string, string | Uint8Array>();
  readonly folders = new Set<string>();

  constructor(base: string, files: Record<string, string | Uint8Array> = {}, folders: string[] = []) {
    this.folders.add(base);
    for (const [path, contents] of Object.entries(files)) this.files.set(resolve(base, path), contents);
    for (const folder of folders) this.folders.add(resolve(base, folder));
    for (const path of this.files.keys()) this.folders.add(dirname(path));
  }

  read(path: string): Uint8Array {
    const contents = this.files.get(path);
    if (contents === undefined) {
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: this.folders.has(path) ? "EISDIR" : "ENOENT" });
    }
    return typeof contents === "string" ? new TextEncoder().encode(contents) : contents;
  }

  write(path: string, contents: string): void {
    if (!this.folders.has(dirname(path))) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
    this.files.set(path, contents);
  }

  /** A folder's files and subfolders (`get the files in the folder …`). */
  list(path: string): FolderEntry[] {
    if (this.files.has(path)) throw Object.assign(new Error(`ENOTDIR: not a directory, scandir '${path}'`), { code: "ENOTDIR" });
    if (!this.folders.has(path)) throw Object.assign(new Error(`ENOENT: no such file or directory, scandir '${path}'`), { code: "ENOENT" });
    const entries: FolderEntry[] = [];
    for (const [file, contents] of this.files) if (dirname(file) === path) entries.push({ name: basename(file), kind: "file", size: typeof contents === "string" ? new TextEncoder().encode(contents).byteLength : contents.byteLength });
    for (const folder of this.folders) if (folder !== path && dirname(folder) === path) entries.push({ name: basename(folder), kind: "folder", size: 0 });
    return entries;
  }

  source(path: string): string | undefined {
    const contents = this.files.get(path);
    return contents === undefined ? undefined : typeof contents === "string" ? contents : new TextDecoder().decode(contents);
  }
}

function absoluteFile(file: string): string {
  return isAbsolute(file) ? file : resolve("/scripts", file);
}

/** Parse and check only, as `prose check` does. */
export function checkSource(source: string, options: Pick<ScriptOptions, "file" | "files"> = {}): CheckOutcome {
  const file = options.file ?? DEFAULT_FILE;
  const world = new InMemoryFiles(dirname(absoluteFile(file)), options.files);
  return checkWith(source, file, world);
}

function checkWith(source: string, file: string, world: InMemoryFiles): CheckOutcome {
  const program = compileSource(source, file, { loadSource: (path) => world.source(path) });
  const diagnostics = program.diagnostics;
  const formatted = diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, program.sources.get(diagnostic.span.file) ?? source));
  return { program, diagnostics, formatted };
}

export function answerBook(answers: Record<string, Answer> = {}): AnswerBook {
  const book = new AnswerBook();
  for (const [key, answer] of Object.entries(answers)) book.add(key, answer);
  return book;
}

export function memoryContext(world: InMemoryFiles, options: Pick<ScriptOptions, "now" | "askPerson" | "models" | "request" | "hasSecret"> = {}): { context: RunContext; said: string[]; warnings: string[]; slept: number[] } {
  const said: string[] = [];
  const warnings: string[] = [];
  const slept: number[] = [];
  const now = options.now ?? FIXED_NOW;
  const context: RunContext = {
    say: (line) => said.push(line),
    warn: (message) => warnings.push(message),
    now: () => new Date(now.getTime()),
    sleep: async (milliseconds) => {
      slept.push(milliseconds);
    },
    readFile: async (path) => world.read(path),
    writeFile: async (path, contents) => world.write(path, contents),
    listFolder: async (path) => world.list(path),
  };
  if (options.askPerson) context.askPerson = options.askPerson;
  if (options.models) context.models = options.models;
  if (options.request) context.request = options.request;
  if (options.hasSecret) context.hasSecret = options.hasSecret;
  return { context, said, warnings, slept };
}

/** Parse → check → run. The script is run only when it has no errors. */
export async function runScript(source: string, options: ScriptOptions = {}): Promise<ScriptOutcome> {
  const file = options.file ?? DEFAULT_FILE;
  const world = new InMemoryFiles(dirname(absoluteFile(file)), options.files, options.folders);
  const checked = checkWith(source, file, world);
  const { context, said, warnings, slept } = memoryContext(world, options);
  const result = hasErrors(checked.diagnostics)
    ? undefined
    : (await runCompiled(checked.program, { host: context, answers: answerBook(options.answers), inputs: options.inputs ?? [], ...(context.models ? { models: context.models } : {}) })).result;
  return { ...checked, result, said, warnings, files: world.files, slept };
}

/** Runs a script that must be free of errors and returns its result. */
export async function run(source: string, options: ScriptOptions = {}): Promise<RunResult> {
  const outcome = await runScript(source, options);
  if (!outcome.result) throw new Error(`The script has errors:\n${outcome.formatted.join("\n")}`);
  return outcome.result;
}

/** The lines a script says; fails the test if it does not end `done`. */
export async function output(source: string, options: ScriptOptions = {}): Promise<string[]> {
  const result = await run(source, options);
  if (result.status !== "done") throw new Error(`The run ended ${result.status}: ${JSON.stringify(result.error ?? result.questions)}\nsaid: ${result.output.join(" | ")}`);
  return result.output;
}

/** Each line of a script joined with newlines, so tests can write scripts as arrays. */
export function lines(...source: string[]): string {
  return `${source.join("\n")}\n`;
}
