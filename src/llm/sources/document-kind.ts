import type { SourceDocument } from "./source.js";

export type DocumentKind = "text" | "pdf" | "image" | "unsupported";

/** Read as UTF-8 text when the runtime has not read them already (the same list as `stdlib/files.ts`). */
const textExtensions = new Set(["txt", "md", "csv", "json", "html", "htm", "xml", "prose", "log", "tsv", "yaml", "yml", ""]);
const imageExtensions = new Set(["png", "jpg", "jpeg"]);

export function extensionOf(document: SourceDocument): string {
  return document.extension.replace(/^\./, "").toLowerCase();
}

/** A document that already holds its text is text, whatever its extension. */
export function documentKind(document: SourceDocument): DocumentKind {
  if (document.text !== undefined) return "text";
  const extension = extensionOf(document);
  if (extension === "pdf") return "pdf";
  if (imageExtensions.has(extension)) return "image";
  if (textExtensions.has(extension)) return "text";
  return "unsupported";
}

export const supportedExtensionsInEnglish = ".txt, .md, .csv, .json, .html, .pdf, .png and .jpg";
