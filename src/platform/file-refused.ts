/**
 * A file a script may not reach: outside its files root and allowed folders, or one of the
 * places no script ever reaches (the workspace, the master key, /proc, /dev, /sys). Thrown by
 * the run context's `readFile` and `writeFile`; the standard procedures turn it into a failure
 * of the call, naming the path as the script wrote it.
 */
export class FileRefused extends Error {
  readonly code = "PROSE_FILE_REFUSED";

  constructor(
    /** "read", "write", or "list" (a folder's files). */
    readonly action: "read" | "write" | "list",
    /** The path asked for, made absolute. */
    readonly path: string,
    /** Why, as the end of a sentence: `it is outside the files root /x (the script's folder)`. */
    readonly reason: string,
    /** What to do instead, starting with "fix:". */
    readonly fix: string,
  ) {
    super(`I can't ${action} "${path}": ${reason}.`);
    this.name = "FileRefused";
  }

  /** The message with the path as the script wrote it. */
  messageFor(written: string): string {
    return `I can't ${this.action} "${written}": ${this.reason}.`;
  }
}
