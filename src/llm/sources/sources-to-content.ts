import type { ContentPart } from "../language-model.js";
import { documentKind, extensionOf, supportedExtensionsInEnglish } from "./document-kind.js";
import { imageContent } from "./image-content.js";
import { pdfContent } from "./pdf-content.js";
import { resolveOptions, type ResolvedOptions } from "./resolved-options.js";
import { SourceError } from "./source-error.js";
import type { Source, SourceDocument, SourcesContent, SourcesOptions } from "./source.js";
import { textDocumentContent } from "./text-content.js";

/**
 * Turns an LLM procedure's sources into the content parts of a model request,
 * in order, one document after the other. Fails with a `SourceError` (English,
 * naming the file and the fix) rather than dropping what the model cannot take.
 * pdfjs-dist is loaded only when a PDF is met.
 */
export async function sourcesToContent(sources: Source, options: SourcesOptions): Promise<SourcesContent> {
  const resolved = resolveOptions(options);
  const parts: ContentPart[] = [];
  const warnings: string[] = [];
  for (const source of flatten(sources)) {
    if (typeof source === "string") {
      if (source.trim() !== "") parts.push({ type: "text", text: source });
      continue;
    }
    parts.push(...(await documentContent(source, resolved, warnings)));
  }
  return { parts, warnings };
}

function* flatten(source: Source): Generator<string | SourceDocument> {
  if (typeof source === "string" || !Array.isArray(source)) {
    yield source as string | SourceDocument;
    return;
  }
  for (const item of source as readonly Source[]) yield* flatten(item);
}

async function documentContent(document: SourceDocument, options: ResolvedOptions, warnings: string[]): Promise<ContentPart[]> {
  if (options.signal?.aborted) throw new SourceError("aborted", document.path, `Reading "${document.name}" was cancelled.`);
  switch (documentKind(document)) {
    case "text":
      return textDocumentContent(document, options);
    case "image":
      return imageContent(document, options, warnings);
    case "pdf":
      return pdfContent(document, options, warnings);
    case "unsupported":
      throw new SourceError(
        "unsupported",
        document.path,
        `"${document.name}" is a .${extensionOf(document)} file, which I cannot give to a model: I read ${supportedExtensionsInEnglish} files. Save it in one of these formats (for example as PDF) and give that file instead.`,
      );
  }
}
