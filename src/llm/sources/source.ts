import type { ContentPart } from "../language-model.js";

/** A file given to a model: the runtime's document value fits this shape. */
export interface SourceDocument {
  path: string;
  name: string;
  /** Without the dot, any case: `pdf`, `PNG`. */
  extension: string;
  /** The text of a text document, when it was already read as text. */
  text?: string;
}

/** What an LLM procedure is given: a text, a document, or a list of them. */
export type Source = string | SourceDocument | readonly Source[];

/** Which pages of a PDF are sent as images (when the model accepts images). */
export type PageImages = "pages-without-text" | "all-pages";

export interface SourcesOptions {
  /** The resolution pages are rendered at; 100 when not given. */
  dpi?: number;
  /** Reads a document's bytes (the run's file access, so paths stay checked). */
  readFile(path: string): Promise<Uint8Array>;
  /** Whether the model that will be called takes image parts. */
  modelAcceptsImages: boolean;
  /** The most pages one PDF may have; 50 when not given. */
  maxPages?: number;
  /** The most pixels one rendered page may have; larger pages are rendered at a lower dpi. */
  maxPagePixels?: number;
  /**
   * `pages-without-text` (the default) renders only the pages that have no text
   * layer (scans); `all-pages` also adds an image of each page that has text.
   */
  pageImages?: PageImages;
  signal?: AbortSignal;
}

export interface SourcesContent {
  parts: ContentPart[];
  /** What was adjusted or left out, in English, for the run's output. */
  warnings: string[];
}

export const defaultDpi = 100;
export const defaultMaxPages = 50;
/** 4096 × 4096: an A3 page at 300 dpi (17 million pixels) is just above it. */
export const defaultMaxPagePixels = 4096 * 4096;
export const minimumDpi = 20;
export const maximumDpi = 600;
