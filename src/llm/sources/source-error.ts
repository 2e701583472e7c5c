export type SourceErrorKind =
  /** The source needs images (a scan, a picture) and the model takes none. */
  | "needs-images"
  /** The file is missing, damaged, or not what its extension says. */
  | "unreadable"
  /** The PDF asks for a password. */
  | "password"
  | "too-many-pages"
  /** An extension Prose does not give to models (`.docx`, `.xlsx`, …). */
  | "unsupported"
  /** An option such as the dpi is out of range. */
  | "invalid-option"
  /** pdfjs-dist could not be loaded (a broken install). */
  | "pdf-reader-unavailable"
  | "aborted";

/**
 * A source that cannot become model content, with an English message that
 * names the file and the fix. `cause` keeps the library's own error, if any.
 */
export class SourceError extends Error {
  override readonly name = "SourceError";
  readonly kind: SourceErrorKind;
  /** The file concerned, when there is one. */
  readonly path: string | undefined;

  constructor(kind: SourceErrorKind, path: string | undefined, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.path = path;
  }
}
