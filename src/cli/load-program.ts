import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { AgentProviders, CheckedProgram } from "../check/check-script.js";
import { compileScript } from "../session/compile-script.js";
import type { ScriptUnread } from "../session/script-source.js";
import { confinedSourceLoader, readSourceConfined } from "./confined-files.js";
import type { FilesPolicy } from "./files-policy.js";
import { UsageError } from "./usage-error.js";

/**
 * A script named on the command line, compiled by the session service (`prose run`, `prose
 * check`). The script may lie anywhere the person chooses but never where no script reaches; the
 * files it learns lie inside the files root (or an allowed folder). A script that cannot be read
 * is a usage mistake.
 */
export function loadProgram(path: string, files: FilesPolicy, providers?: AgentProviders, secretNames?: readonly string[]): CheckedProgram {
  const compiled = compileScript(path, (script) => readSourceConfined(files, script, "anywhere"), { loadSource: confinedSourceLoader(files), ...(providers === undefined ? {} : { providers }), ...(secretNames === undefined ? {} : { secretNames }) });
  if ("unread" in compiled) throw unreadScript(path, compiled.unread);
  return compiled.program;
}

/** The folder of a script named on the command line: its files root by default. */
export function scriptFolder(path: string): string {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new UsageError(`I can't find the script ${path}.`, "Check the path; it is relative to the current folder.");
  return folder;
}

function unreadScript(path: string, unread: ScriptUnread): UsageError {
  switch (unread.kind) {
    case "folder":
      return new UsageError(`${path} is a folder, not a script.`, "Give the path of a .prose file.");
    // Never the workspace or a key file: their lines would be shown as the script's problems.
    case "refused":
      return new UsageError(`I can't read "${path}": ${unread.reason}.`, unread.fix);
    case "missing":
      return new UsageError(`I can't find the script ${path}.`, "Check the path; it is relative to the current folder.");
    case "unreadable":
      return new UsageError(`I can't read the script ${path} (${unread.code}).`);
  }
}
