import type { PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * The text layer of one page, line by line as pdfjs found it (pdfjs already
 * inserts the spaces between words of a line). Blank lines collapse to one.
 */
export async function pageText(page: PDFPageProxy): Promise<string> {
  const content = await page.getTextContent();
  let text = "";
  for (const item of content.items) {
    if (!("str" in item)) continue;
    text += item.str;
    if (item.hasEOL) text += "\n";
  }
  return text
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A page counts as having text when its text layer holds a letter or a digit (not just a stray mark). */
export function hasText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
