import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hasErrors } from "../syntax/diagnostic.js";
import { formatLocation } from "../syntax/span.js";
import { compileScript } from "../session/compile-script.js";
import { RunNotStarted, type RunStartRequest } from "../runtime/folders-and-runs.js";
import { ensureRunsFolder, newRunId, newRunRecord, readRunRecord, runFolder, shownStatus, writeRunRecord, type RunArguments } from "../runtime/run-store.js";
import { confinedSourceLoader, readSourceConfined } from "./confined-files.js";
import type { FilesPolicy } from "./files-policy.js";

export interface RunStarterOptions {
  /** The workspace of the run that starts others: theirs too. */
  workspace: string;
  /** The starting run's own arguments: its agent, project, concurrency, and files flags go to the runs it starts. */
  parent: RunArguments;
  /** The starting run's files root (its `--files`, or its script's folder): the started runs' root too. */
  filesRoot: string;
  /** The starting run's confinement: a started script lies inside it. */
  files: FilesPolicy;
  /** The environment the started runs' processes get (the same as this one's). */
  environment: NodeJS.ProcessEnv;
  now: () => Date;
}

/**
 * `start a run of …` on the command line. The script (inside the files root) is checked first:
 * one with errors is not started. Then its run record is written in the workspace (status
 * running, no attempt yet: `prose runs show` finds it at once), the id is told (the starting run
 * journals it), and a detached `prose run --resume <id>` process runs it on its own: it outlives
 * the starting run, and what it says goes to its run.json (its standard error to `stderr.log`
 * beside). The new run's inputs are `--input` pairs; its agent, project, concurrency and files
 * root are the starting run's.
 */
export function runStarter(options: RunStarterOptions): (request: RunStartRequest) => Promise<string> {
  return async (request) => {
    if (request.existingId !== undefined) {
      startIfNeverStarted(options, request.existingId);
      return request.existingId;
    }
    const script = checkedScript(options.files, request.script);
    const id = newRunId(options.now());
    const runArguments: RunArguments = {
      inputs: request.inputs,
      concurrency: options.parent.concurrency,
      ...(options.parent.agent === undefined ? {} : { agent: options.parent.agent }),
      ...(options.parent.project === undefined ? {} : { project: options.parent.project }),
      files: { ...options.parent.files, root: options.filesRoot },
    };
    ensureRunsFolder(options.workspace);
    // `pid` is this process until the run's own process takes it over with its first attempt.
    writeRunRecord(options.workspace, { ...newRunRecord(id, script, runArguments, options.now()), pid: process.pid });
    // On disk before the process starts: a run stopped now does not start a second one when resumed.
    await request.recordId?.(id);
    launch(options, id, script);
    return id;
  };
}

/** The script's real path, once the policy allows it and it compiles without errors. */
function checkedScript(files: FilesPolicy, path: string): string {
  const real = files.readable(path);
  const stats = statSync(real);
  if (stats.isDirectory()) throw Object.assign(new Error(`${real} is a folder`), { code: "EISDIR" });
  const compiled = compileScript(real, (script) => readSourceConfined(files, script), { loadSource: confinedSourceLoader(files) });
  if ("unread" in compiled) {
    const unread = compiled.unread;
    if (unread.kind === "missing") throw Object.assign(new Error(`${real} is missing`), { code: "ENOENT" });
    throw new RunNotStarted(unread.kind === "refused" ? unread.reason : unread.kind === "folder" ? "it is a folder, not a script" : `the script can't be read (${unread.code})`, unread.kind === "refused" ? unread.fix : undefined);
  }
  const { program } = compiled;
  if (hasErrors(program.diagnostics)) {
    const errors = program.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    const first = errors[0]!;
    const place = first.span.file === real ? `line ${first.span.start.line}, column ${first.span.start.column}` : formatLocation(first.span);
    throw new RunNotStarted(
      `it has ${errors.length === 1 ? "an error" : `${errors.length} errors`}, the first at ${place}: ${first.message.replace(/\.$/, "")}`,
      `fix: see them all with \`prose check ${real}\`, and correct them.`,
    );
  }
  return real;
}

/** A run replayed from the journal whose process never began (the starting run stopped right after recording it) is started now. */
function startIfNeverStarted(options: RunStarterOptions, id: string): void {
  const record = readRunRecord(options.workspace, id);
  if (record === undefined) throw new RunNotStarted(`this run started it before as ${id}, which is no longer in the workspace ${options.workspace}`, "fix: start the script as a new run (`prose run` it), or remove the `start a run of` line.");
  if (record.timings.attempts.length > 0 || shownStatus(record) === "running") return;
  launch(options, id, record.script);
}

/** `prose run --resume <id>` as a detached process of its own, in its own process group, outliving this one. */
function launch(options: RunStarterOptions, id: string, script: string): void {
  const log = openSync(join(runFolder(options.workspace, id), "stderr.log"), "a", 0o600);
  try {
    const child = spawn(process.execPath, [proseBin(), "run", "--resume", id, "--workspace", options.workspace], {
      cwd: dirname(script),
      env: options.environment,
      detached: true,
      stdio: ["ignore", "ignore", log],
    });
    // A process that cannot start at all (no node) leaves the run shown as interrupted, its reason in stderr.log.
    child.on("error", () => {});
    child.unref();
  } finally {
    closeSync(log);
  }
}

/** bin/prose.js of this installation: two folders up from src/cli/ or dist/cli/, three from a bundle chunk. */
function proseBin(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(folder, "bin", "prose.js");
    if (existsSync(candidate)) return candidate;
    folder = resolve(folder, "..");
  }
  throw new RunNotStarted("I can't find the prose command (bin/prose.js) to start the run with.", "fix: reinstall Prose.");
}
