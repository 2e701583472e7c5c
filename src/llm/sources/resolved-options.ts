import { SourceError } from "./source-error.js";
import { defaultDpi, defaultMaxPagePixels, defaultMaxPages, maximumDpi, minimumDpi, type PageImages, type SourcesOptions } from "./source.js";

export interface ResolvedOptions {
  dpi: number;
  readFile(path: string): Promise<Uint8Array>;
  modelAcceptsImages: boolean;
  maxPages: number;
  maxPagePixels: number;
  pageImages: PageImages;
  signal: AbortSignal | undefined;
}

/** Fills in the defaults and refuses values that would make the work unbounded or empty. */
export function resolveOptions(options: SourcesOptions): ResolvedOptions {
  const dpi = options.dpi ?? defaultDpi;
  if (!Number.isFinite(dpi) || dpi < minimumDpi || dpi > maximumDpi) {
    throw new SourceError(
      "invalid-option",
      undefined,
      `The dpi is ${dpi}, but it must be between ${minimumDpi} and ${maximumDpi}: ${defaultDpi} (the default) suits most documents, 200 helps with small print.`,
    );
  }
  const maxPages = options.maxPages ?? defaultMaxPages;
  const maxPagePixels = options.maxPagePixels ?? defaultMaxPagePixels;
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new SourceError("invalid-option", undefined, `The page limit is ${maxPages}, but it must be a whole number of at least 1.`);
  if (!Number.isFinite(maxPagePixels) || maxPagePixels < 10_000) {
    throw new SourceError("invalid-option", undefined, `The pixel limit per page is ${maxPagePixels}, but it must be at least 10000.`);
  }
  return {
    dpi,
    readFile: options.readFile,
    modelAcceptsImages: options.modelAcceptsImages,
    maxPages,
    maxPagePixels,
    pageImages: options.pageImages ?? "pages-without-text",
    signal: options.signal,
  };
}
