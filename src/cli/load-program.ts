import { readFileSync, statSync } from "node:fs";
import { checkScript, type CheckedProgram } from "../check/check-script.js";
import { parseScript } from "../syntax/parse-script.js";
import { UsageError } from "./usage-error.js";

/** Reads, parses and checks a script: the shared first half of `prose run` and `prose check`. */
export function loadProgram(path: string, providerIds?: readonly string[]): CheckedProgram {
  const source = readScript(path);
  const parsed = parseScript(source, path);
  const program = checkScript(parsed.script, { loadSource: readIfExists, ...(providerIds === undefined ? {} : { providerIds }) });
  program.diagnostics.unshift(...parsed.diagnostics);
  program.diagnostics.sort((a, b) => (a.span.file === b.span.file ? a.span.start.offset - b.span.start.offset : a.span.file === path ? -1 : b.span.file === path ? 1 : a.span.file.localeCompare(b.span.file)));
  return program;
}

function readScript(path: string): string {
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${path} is a folder, not a script.`, "Give the path of a .prose file.");
    return readFileSync(path, "utf8");
  } catch (problem) {
    if (problem instanceof UsageError) throw problem;
    const code = (problem as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`I can't find the script ${path}.`, "Check the path; it is relative to the current folder.");
    throw new UsageError(`I can't read the script ${path} (${code ?? (problem as Error).message}).`);
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
