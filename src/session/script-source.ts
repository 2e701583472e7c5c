import type { SourceLoader } from "../check/check-script.js";

/**
 * What reading a script (or a file it learns) found: its text, or why there is none. The caller
 * reads, under its own confinement (the command line's files policy); the session only decides
 * what each case means.
 */
export type ScriptRead =
  | { kind: "text"; text: string }
  | { kind: "missing" }
  | { kind: "folder" }
  /** The caller's confinement refuses it: why (the end of a sentence), and what to do. */
  | { kind: "refused"; reason: string; fix: string }
  /** It exists but cannot be read: the system's code (EACCES, …). */
  | { kind: "unreadable"; code: string };

export type ScriptUnread = Exclude<ScriptRead, { kind: "text" }>;

/** Reads a script or a learned file by absolute path. */
export type ScriptReader = (path: string) => ScriptRead;

/** Learned files through the same reader: a refusal is told, anything else unread counts as missing. */
export function sourceLoaderOf(read: ScriptReader): SourceLoader {
  return (path) => {
    const found = read(path);
    if (found.kind === "text") return found.text;
    if (found.kind === "refused") return { refused: found.reason, fix: found.fix };
    return undefined;
  };
}
