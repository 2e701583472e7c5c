import { FileRefused } from "../platform/file-refused.js";
import type { Span } from "../syntax/span.js";
import { RuntimeError } from "./errors.js";
import type { RunContext } from "./run-context.js";
import { readPdf, type PdfReading } from "./pdf-reading.js";
import { NOTHING, number, text, type DocumentValue, type Value } from "./values.js";

/**
 * A document's own attributes: `file name` (`invoice.pdf`), `text` (a text file's content, a
 * PDF's text layer, nothing for an image or a scan), `pages` (a PDF's number of pages, 1 for any
 * other document), `size` (in bytes), `extension` (`pdf`: lower-case, without the dot) and `path`
 * (where it was read, as an absolute path).
 */
export { documentAttributeNames } from "../check/document-field-plan.js";

/**
 * The value of a document's own attribute, or undefined for any other name (which a caller may
 * read from the document in another way). A PDF's pages and text need the file read with pdfjs:
 * the first time, this throws `DocumentNotRead`, which the interpreter settles (`read`) before it
 * runs the statement again.
 */
export function documentOwnAttribute(document: DocumentValue, name: string): Value | undefined {
  switch (name) {
    case "file name":
      return text(document.name);
    case "path":
      return text(document.path);
    case "extension":
      return text(document.extension);
    case "size":
      return number(document.size);
    case "pages":
      return number(isPdf(document) ? pdfReading(document, false).pages : 1);
    case "text": {
      const content = isPdf(document) ? pdfReading(document, true).text : document.text;
      return content === undefined || content === "" ? NOTHING : text(content);
    }
    default:
      return undefined;
  }
}

function isPdf(document: DocumentValue): boolean {
  return document.extension === "pdf" && document.text === undefined;
}

/** What pdfjs found in each PDF document value read so far (a document's file is read once). */
const readings = new WeakMap<DocumentValue, PdfReading>();

function pdfReading(document: DocumentValue, withText: boolean): PdfReading {
  const reading = readings.get(document);
  if (reading === undefined || (withText && reading.text === undefined)) throw new DocumentNotRead(document, withText);
  return reading;
}

/** A PDF's pages or text were asked for before its file was read with pdfjs. */
export class DocumentNotRead extends Error {
  constructor(
    readonly document: DocumentValue,
    readonly withText: boolean,
  ) {
    super(`The document ${document.name} has not been read yet.`);
  }

  /** Reads the file (through the run's context, so a resumed run replays it), or fails in English. */
  async read(context: Pick<RunContext, "readFile">): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = await context.readFile(this.document.path);
    } catch (problem) {
      const reason = problem instanceof FileRefused ? problem.messageFor(this.document.path) : problem instanceof Error ? problem.message : String(problem);
      throw new DocumentUnreadable(`I can't read "${this.document.name}" again to find its pages and text: ${reason}`);
    }
    let reading: PdfReading;
    try {
      reading = await readPdf(bytes, this.withText);
    } catch (problem) {
      throw new DocumentUnreadable(`I can't read "${this.document.name}" as a PDF: ${problem instanceof Error ? problem.message : String(problem)}.`);
    }
    readings.set(this.document, reading);
  }
}

/** A PDF that pdfjs could not open: told at the statement that asked for its pages or text. */
export class DocumentUnreadable extends Error {
  readonly fix = "fix: check that the file is a whole, unencrypted PDF; open it in a PDF reader to see.";
}

/** Reads the document a statement needs, then runs the statement again; a failure is an English error at the statement. */
export async function readThenRunAgain(needed: DocumentNotRead, strand: { context: Pick<RunContext, "readFile"> }, span: Span, again: () => void | Promise<void>): Promise<void> {
  try {
    await needed.read(strand.context);
  } catch (problem) {
    if (problem instanceof DocumentUnreadable) throw new RuntimeError(problem.message, span, problem.fix);
    throw problem;
  }
  await again();
}
