import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** pdfjs-dist's legacy build: the one meant for Node. */
export type PdfLibrary = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

/** Where pdfjs finds its fonts, character maps, colour profiles and decoders (file paths, as Node's pdfjs reads them with `fs`). */
export interface PdfResources {
  standardFontDataUrl: string;
  cMapUrl: string;
  iccUrl: string;
  wasmUrl: string;
}

let loading: Promise<{ pdfjs: PdfLibrary; resources: PdfResources }> | undefined;

/**
 * Loads pdfjs-dist on the first PDF only. Its worker code runs on the main
 * thread: it is imported here and handed over as `globalThis.pdfjsWorker`, so
 * pdfjs never looks for a worker file (which a bundle would have moved).
 * pdfjs itself loads `@napi-rs/canvas` (its own copy) to render pages.
 */
export function loadPdfLibrary(): Promise<{ pdfjs: PdfLibrary; resources: PdfResources }> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<{ pdfjs: PdfLibrary; resources: PdfResources }> {
  const [pdfjs, worker] = await Promise.all([import("pdfjs-dist/legacy/build/pdf.mjs"), import("pdfjs-dist/legacy/build/pdf.worker.mjs")]);
  const holder = globalThis as { pdfjsWorker?: unknown };
  holder.pdfjsWorker ??= worker;
  const root = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  // pdfjs wants a trailing "/" (also on Windows, where Node reads mixed separators).
  const folder = (name: string) => `${join(root, name)}/`;
  return {
    pdfjs,
    resources: { standardFontDataUrl: folder("standard_fonts"), cMapUrl: folder("cmaps"), iccUrl: folder("iccs"), wasmUrl: folder("wasm") },
  };
}

/** Starts reading a PDF's bytes with pdfjs: the one set of options every reader of PDFs uses. */
export function openPdf(library: { pdfjs: PdfLibrary; resources: PdfResources }, bytes: Uint8Array): ReturnType<PdfLibrary["getDocument"]> {
  const { pdfjs, resources } = library;
  return pdfjs.getDocument({
    // A plain copy: pdfjs refuses a Node Buffer, and takes over (detaches) the buffer it is given.
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    ...resources,
  });
}
