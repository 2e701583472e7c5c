import type { PDFDocumentProxy, PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface RenderedPage {
  png: Uint8Array;
  width: number;
  height: number;
  /** The dpi actually used: lower than asked when the page would exceed the pixel budget. */
  dpi: number;
}

/** The part of a canvas this module uses (pdfjs's factory makes `@napi-rs/canvas` canvases on Node). */
interface NodeCanvas {
  encode(format: "png"): Promise<Uint8Array>;
}
interface CanvasFactory {
  create(width: number, height: number): { canvas: NodeCanvas; context: CanvasRenderingContext2D };
  destroy(canvasAndContext: { canvas: NodeCanvas | null; context: CanvasRenderingContext2D | null }): void;
}

/**
 * Renders one page on a white background at `dpi` (a PDF point is 1/72 inch,
 * so the scale is dpi/72) and encodes it as PNG. The canvas comes from the
 * document's own canvas factory: pdfjs draws with the `@napi-rs/canvas` it
 * loaded itself, and a canvas from another copy of that library would refuse
 * its paths.
 */
export async function renderPage(document: PDFDocumentProxy, page: PDFPageProxy, dpi: number, maxPixels: number): Promise<RenderedPage> {
  const natural = page.getViewport({ scale: 1 });
  const pixelsAtDpi = natural.width * natural.height * (dpi / 72) ** 2;
  const usedDpi = pixelsAtDpi > maxPixels ? Math.floor(dpi * Math.sqrt(maxPixels / pixelsAtDpi)) : dpi;
  const viewport = page.getViewport({ scale: Math.max(usedDpi, 1) / 72 });
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  const factory = document.canvasFactory as CanvasFactory;
  const target = factory.create(width, height);
  try {
    await page.render({ canvas: null, canvasContext: target.context, viewport, background: "#ffffff" }).promise;
    const png = await target.canvas.encode("png");
    return { png, width, height, dpi: usedDpi };
  } finally {
    factory.destroy(target);
  }
}
