import { FileRefused } from "../../platform/file-refused.js";
import { SourceError } from "./source-error.js";
import type { SourceDocument } from "./source.js";

const reasons: Record<string, string> = {
  ENOENT: "it does not exist (check the path and the working folder)",
  EACCES: "permission was denied (check who may read the file)",
  EPERM: "permission was denied (check who may read the file)",
  EISDIR: "it is a folder, not a file",
};

/** The document's bytes, or a `SourceError` that says in English why they could not be read. */
export async function readSourceFile(document: SourceDocument, readFile: (path: string) => Promise<Uint8Array>): Promise<Uint8Array> {
  try {
    return await readFile(document.path);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    const reason =
      (error instanceof FileRefused ? `${error.reason} (${error.fix})` : undefined) ??
      (typeof code === "string" ? reasons[code] : undefined) ?? (error instanceof Error && error.message ? error.message : "the file could not be opened");
    throw new SourceError("unreadable", document.path, `I could not read "${document.name}" (${document.path}): ${reason}.`, { cause: error });
  }
}
