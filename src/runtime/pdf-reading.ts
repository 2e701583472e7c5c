import { loadPdfLibrary, openPdf } from "../llm/sources/pdf-library.js";
import { hasText, pageText } from "../llm/sources/pdf-page-text.js";

/** What a PDF holds for a script: its number of pages and, when asked for, its text layer. */
export interface PdfReading {
  pages: number;
  /** Pages with text, joined by a blank line; undefined when not read, "" for a scan. */
  text?: string;
}

/** Opens a PDF with pdfjs (loaded on the first PDF only) and reads its page count, and its text when asked. */
export async function readPdf(bytes: Uint8Array, withText: boolean): Promise<PdfReading> {
  const task = openPdf(await loadPdfLibrary(), bytes);
  try {
    const pdf = await task.promise;
    if (!withText) return { pages: pdf.numPages };
    const texts: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const text = await pageText(page);
      page.cleanup();
      if (hasText(text)) texts.push(text);
    }
    return { pages: pdf.numPages, text: texts.join("\n\n") };
  } finally {
    await task.destroy();
  }
}
