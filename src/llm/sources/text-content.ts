import type { ContentPart } from "../language-model.js";
import { readSourceFile } from "./read-source-file.js";
import type { ResolvedOptions } from "./resolved-options.js";
import type { SourceDocument } from "./source.js";

/** A text document, introduced by its file name; read as UTF-8 when the runtime has not read it yet. */
export async function textDocumentContent(document: SourceDocument, options: ResolvedOptions): Promise<ContentPart[]> {
  const text = document.text ?? new TextDecoder("utf-8").decode(await readSourceFile(document, options.readFile)).replace(/^\ufeff/, "");
  if (text.trim() === "") return [{ type: "text", text: `Document "${document.name}" (empty file)` }];
  return [{ type: "text", text: `Document "${document.name}":\n${text}` }];
}
