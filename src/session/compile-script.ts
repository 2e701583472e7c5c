import { type AgentProviders, checkScript, type CheckedProgram, type SourceLoader } from "../check/check-script.js";
import type { ListEvidence } from "../check/list-readings.js";
import type { Phrasebook } from "../check/phrasebook.js";
import type { Diagnostic } from "../syntax/diagnostic.js";
import { parseScript, type ParseResult } from "../syntax/parse-script.js";
import type { ScriptReader, ScriptUnread } from "./script-source.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

export interface CompileOptions {
  /** Reads the files the script learns, under the caller's confinement. */
  loadSource: SourceLoader;
  /** The phrasebook to check against: the standard library's unless given (`prose test`, the REPL). */
  phrasebook?: Phrasebook;
  /** The agent's model providers (`prose check --agent`): `the model provider is "…"` must name one it can use. */
  providers?: AgentProviders;
  /** The agent's secret names (`prose check --agent`): `the credential "…"` written as a literal must name one. */
  secretNames?: readonly string[];
  /** What earlier inputs said about lists (the REPL), so `the first name` reads as they set it. */
  listEvidence?: ListEvidence;
}

/** A phrasebook holding the standard procedures: where every run's checking starts. */
export { standardPhrasebook };

/**
 * Parses and checks a script: the one place a script is compiled (`prose run`, `check`, `repl`,
 * `test`). Its diagnostics, the parser's and the checker's, are merged and put in reading order
 * once (see `inReadingOrder`). It runs nothing; the program runs only when none is an error.
 */
export function compileSource(source: string, file: string, options: CompileOptions): CheckedProgram {
  return compileParsed(parseScript(source, file), options);
}

/** As `compileSource`, for a script already parsed (the REPL looks at an input's definitions first). */
export function compileParsed(parsed: ParseResult, options: CompileOptions): CheckedProgram {
  const file = parsed.script.file;
  const program = checkScript(parsed.script, {
    loadSource: options.loadSource,
    phrasebook: options.phrasebook ?? standardPhrasebook(),
    ...(options.providers === undefined ? {} : { providers: options.providers }),
    ...(options.secretNames === undefined ? {} : { secretNames: options.secretNames }),
    ...(options.listEvidence === undefined ? {} : { listEvidence: options.listEvidence }),
  });
  const settled = program.settled;
  const parseProblems = settled && settled.size > 0 ? parsed.diagnostics.filter((diagnostic) => !settled.has(diagnostic)) : parsed.diagnostics;
  program.diagnostics = inReadingOrder([...parseProblems, ...program.diagnostics], file);
  return program;
}

/**
 * Reads a script through the caller's reader, then compiles it; learned files go through
 * `loadSource`. A script that cannot be read is told (`unread`), for the caller to word.
 */
export function compileScript(path: string, read: ScriptReader, options: CompileOptions): { program: CheckedProgram } | { unread: ScriptUnread } {
  const found = read(path);
  if (found.kind !== "text") return { unread: found };
  return { program: compileSource(found.text, path, options) };
}

/**
 * The one order of a script's problems: the script's own first, then each learned file's (by
 * name); within a file, by where they start. The sort is stable: problems at one place keep
 * the order they were found in (the parser's before the checker's).
 */
export function inReadingOrder(diagnostics: readonly Diagnostic[], mainFile: string): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    if (a.span.file !== b.span.file) return a.span.file === mainFile ? -1 : b.span.file === mainFile ? 1 : a.span.file.localeCompare(b.span.file);
    return a.span.start.offset - b.span.start.offset;
  });
}
