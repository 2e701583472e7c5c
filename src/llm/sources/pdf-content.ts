import type { PDFDocumentLoadingTask, PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { ContentPart } from "../language-model.js";
import { loadPdfLibrary, openPdf } from "./pdf-library.js";
import { hasText, pageText } from "./pdf-page-text.js";
import { renderPage } from "./pdf-page-image.js";
import { readSourceFile } from "./read-source-file.js";
import { SourceError } from "./source-error.js";
import { describePageNumbers, plural } from "./english.js";
import type { SourceDocument } from "./source.js";
import type { ResolvedOptions } from "./resolved-options.js";

/**
 * A PDF as content: an introduction naming the file, then each page's text
 * ("Page 1:" …). Pages without a text layer (scans) are rendered as PNG
 * images, which needs a model that takes images: a PDF with no text at all
 * fails without one, a PDF with some text leaves those pages out with a warning.
 */
export async function pdfContent(document: SourceDocument, options: ResolvedOptions, warnings: string[]): Promise<ContentPart[]> {
  const bytes = await readSourceFile(document, options.readFile);
  const library = await pdfLibraryFor(document);
  let task: PDFDocumentLoadingTask | undefined;
  try {
    let pdf: PDFDocumentProxy;
    try {
      task = openPdf(library, bytes);
      pdf = await task.promise;
    } catch (error) {
      throw openingError(document, error);
    }
    if (pdf.numPages > options.maxPages) {
      throw new SourceError(
        "too-many-pages",
        document.path,
        `"${document.name}" has ${pdf.numPages} pages, more than the ${options.maxPages} pages one PDF may have. Split it into smaller files (for example one per section) and give them one at a time, or as a list.`,
      );
    }
    return await pagesContent(document, pdf, options, warnings);
  } finally {
    await task?.destroy();
  }
}

async function pdfLibraryFor(document: SourceDocument): ReturnType<typeof loadPdfLibrary> {
  try {
    return await loadPdfLibrary();
  } catch (error) {
    throw new SourceError(
      "pdf-reader-unavailable",
      document.path,
      `I could not load the PDF reader (pdfjs-dist) to read "${document.name}": ${reasonOf(error)}. Install Prose's dependencies again (npm ci) on Node 20.19 or later.`,
      { cause: error },
    );
  }
}

interface PageRead {
  number: number;
  text: string;
}

async function pagesContent(document: SourceDocument, pdf: PDFDocumentProxy, options: ResolvedOptions, warnings: string[]): Promise<ContentPart[]> {
  const pages: PageRead[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    checkAborted(options, document);
    const page = await readStep(document, number, () => pdf.getPage(number));
    pages.push({ number, text: await readStep(document, number, () => pageText(page)) });
    page.cleanup();
  }
  const withoutText = pages.filter((page) => !hasText(page.text)).map((page) => page.number);
  const scanned = withoutText.length === pages.length;
  if (withoutText.length > 0 && !options.modelAcceptsImages) {
    if (scanned) {
      throw new SourceError(
        "needs-images",
        document.path,
        `"${document.name}" has no text layer (it looks like a scanned PDF), so its pages must be sent as images, but the model in use does not accept images. Choose a model that accepts images in the block (for example \`the openai model is "gpt-4o"\`), or turn the file into text first (OCR).`,
      );
    }
    warnings.push(
      `${describePageNumbers(withoutText)} of "${document.name}" ${withoutText.length === 1 ? "has" : "have"} no text layer and ${withoutText.length === 1 ? "was" : "were"} left out: the model in use does not accept images. Choose a model that accepts images to include ${withoutText.length === 1 ? "it" : "them"}.`,
    );
  }
  const renderAll = options.pageImages === "all-pages" && options.modelAcceptsImages;
  const description = `PDF, ${plural(pdf.numPages, "page")}${scanned ? ", scanned: each page is the image after its number" : ""}`;
  const parts: ContentPart[] = [{ type: "text", text: `Document "${document.name}" (${description}):` }];
  for (const { number, text } of pages) {
    const render = options.modelAcceptsImages && (renderAll || !hasText(text));
    if (!render && !hasText(text)) continue;
    parts.push({ type: "text", text: hasText(text) ? `Page ${number}:\n${text}` : `Page ${number}:` });
    if (!render) continue;
    checkAborted(options, document);
    const page = await readStep(document, number, () => pdf.getPage(number));
    const image = await readStep(document, number, () => renderPage(pdf, page, options.dpi, options.maxPagePixels));
    page.cleanup();
    if (image.dpi < options.dpi) {
      warnings.push(`Page ${number} of "${document.name}" is large: it was rendered at ${image.dpi} dpi instead of ${options.dpi}, to stay within ${options.maxPagePixels} pixels.`);
    }
    parts.push({ type: "image", mediaType: "image/png", base64: Buffer.from(image.png).toString("base64") });
  }
  return mergeTexts(parts);
}

/** Consecutive text parts of one document become one part. */
function mergeTexts(parts: ContentPart[]): ContentPart[] {
  const merged: ContentPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (part.type === "text" && last?.type === "text") merged[merged.length - 1] = { type: "text", text: `${last.text}\n\n${part.text}` };
    else merged.push(part);
  }
  return merged;
}

async function readStep<T>(document: SourceDocument, pageNumber: number, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(
      "unreadable",
      document.path,
      `I could not read page ${pageNumber} of "${document.name}": ${reasonOf(error)}. The file may be damaged: open it in a PDF viewer, and if it shows, print or export it again as PDF.`,
      { cause: error },
    );
  }
}

function openingError(document: SourceDocument, error: unknown): SourceError {
  if (errorName(error) === "PasswordException") {
    return new SourceError(
      "password",
      document.path,
      `"${document.name}" is protected by a password, so I cannot read it. Save a copy without the password (for example, open it and print it to PDF) and give that copy instead.`,
      { cause: error },
    );
  }
  return new SourceError(
    "unreadable",
    document.path,
    `"${document.name}" could not be read as a PDF (${reasonOf(error)}): the file is damaged or is not a PDF. Open it in a PDF viewer to check it, then export it again as PDF.`,
    { cause: error },
  );
}

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : undefined;
}

/** pdfjs's own message, on one line and without a trailing period. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.replace(/\.+$/, "").trim() || "unknown error";
}

function checkAborted(options: ResolvedOptions, document: SourceDocument): void {
  if (options.signal?.aborted) throw new SourceError("aborted", document.path, `Reading "${document.name}" was cancelled.`);
}
