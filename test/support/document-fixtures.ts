import { createCanvas } from "@napi-rs/canvas";
import { buildPdf } from "./pdf-builder.js";

/** Black words on a white canvas, as a scanner would give them. */
function scanCanvas(width: number, height: number, words: string) {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, width, height);
  context.fillStyle = "#000000";
  context.font = `${Math.round(height / 4)}px sans-serif`;
  context.fillText(words, width / 12, height / 2);
  return canvas;
}

export function scanJpeg(width: number, height: number, words: string): Uint8Array {
  return new Uint8Array(scanCanvas(width, height, words).toBuffer("image/jpeg", 80));
}

export function scanPng(width: number, height: number, words: string): Uint8Array {
  return new Uint8Array(scanCanvas(width, height, words).toBuffer("image/png"));
}

export const invoiceText = "Invoice INV-7 total 1200.50";

export function invoicePdf(): Uint8Array {
  return buildPdf([{ kind: "text", lines: [invoiceText] }]);
}

export function twoPagePdf(): Uint8Array {
  return buildPdf([
    { kind: "text", lines: ["Vendor: Acme Corp", "Date: 2024-03-05"] },
    { kind: "text", lines: ["Total due: 99.00 (EUR)"] },
  ]);
}

/** Pages of 72 × 72 points (one inch) holding only a JPEG of 144 × 144 pixels: no text layer. */
export function scannedPdf(pageCount = 1): Uint8Array {
  return buildPdf(
    Array.from({ length: pageCount }, (_, index) => ({
      kind: "jpeg" as const,
      jpeg: scanJpeg(144, 144, `SCAN ${index + 1}`),
      pixelWidth: 144,
      pixelHeight: 144,
      widthPoints: 72,
      heightPoints: 72,
    })),
  );
}

/** A text page, then a scanned page. */
export function mixedPdf(): Uint8Array {
  return buildPdf([
    { kind: "text", lines: ["Cover letter for order 55"] },
    { kind: "jpeg", jpeg: scanJpeg(144, 144, "SIGNED"), pixelWidth: 144, pixelHeight: 144, widthPoints: 72, heightPoints: 72 },
  ]);
}

export function passwordPdf(): Uint8Array {
  return buildPdf([{ kind: "text", lines: ["Secret salary list"] }], { passwordProtected: true });
}

/** A PDF header followed by nothing a reader can use. */
export function corruptPdf(): Uint8Array {
  return new TextEncoder().encode("%PDF-1.7\n1 0 obj\n<< /Type /Catal\x00\x00 garbage garbage\n%%EOF\n");
}
