import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The REPL's history file in the workspace: one input line a line, oldest first. */
export function historyFile(workspace: string): string {
  return join(workspace, "repl-history");
}

/** Earlier lines, newest first as node:readline wants them; none when the file does not exist yet. */
export function loadHistory(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n").filter((line) => line.trim() !== "").reverse();
  } catch {
    return [];
  }
}

/** Writes the history (newest first, as readline keeps it); a workspace that cannot be written is not worth stopping for. */
export function saveHistory(path: string, history: readonly string[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${[...history].reverse().join("\n")}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience: the session goes on without it.
  }
}
