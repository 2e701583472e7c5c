import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { checkScript, type CheckedProgram } from "../check/check-script.js";
import { FileRefused } from "../platform/file-refused.js";
import { parseScript } from "../syntax/parse-script.js";
import { confinedSourceLoader } from "./confined-files.js";
import type { FilesPolicy } from "./files-policy.js";
import { UsageError } from "./usage-error.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/**
 * Reads, parses and checks a script: the shared first half of `prose run` and `prose check`.
 * The script and the files it learns are read through the files policy: learned files lie inside
 * the files root (or an allowed folder), and neither is ever the workspace or a key file.
 */
export function loadProgram(path: string, files: FilesPolicy, providerIds?: readonly string[]): CheckedProgram {
  const source = readScript(path, files);
  const parsed = parseScript(source, path);
  const program = checkScript(parsed.script, { loadSource: confinedSourceLoader(files), phrasebook: standardPhrasebook(), ...(providerIds === undefined ? {} : { providerIds }) });
  program.diagnostics.unshift(...parsed.diagnostics);
  program.diagnostics.sort((a, b) => (a.span.file === b.span.file ? a.span.start.offset - b.span.start.offset : a.span.file === path ? -1 : b.span.file === path ? 1 : a.span.file.localeCompare(b.span.file)));
  return program;
}

/** The folder of a script named on the command line: its files root by default. */
export function scriptFolder(path: string): string {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new UsageError(`I can't find the script ${path}.`, "Check the path; it is relative to the current folder.");
  return folder;
}

function readScript(path: string, files: FilesPolicy): string {
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${path} is a folder, not a script.`, "Give the path of a .prose file.");
    // Never the workspace or a key file: their lines would be shown as the script's problems.
    return readFileSync(files.script(path), "utf8");
  } catch (problem) {
    if (problem instanceof UsageError) throw problem;
    if (problem instanceof FileRefused) throw new UsageError(problem.messageFor(path), problem.fix);
    const code = (problem as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`I can't find the script ${path}.`, "Check the path; it is relative to the current folder.");
    throw new UsageError(`I can't read the script ${path} (${code ?? (problem as Error).message}).`);
  }
}
