import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SourceDocument } from "../../../src/llm/sources/source.js";
import { sourcesToContent } from "../../../src/llm/sources/sources-to-content.js";
import { decodeImage, images, sourceErrorOf, texts } from "../../support/source-documents.js";

/**
 * The committed files of test/fixtures/documents/, read from disk with Node's
 * `readFile` (which gives Buffers). write-document-fixtures.ts made them.
 */
const folder = fileURLToPath(new URL("../../fixtures/documents/", import.meta.url));
const document = (name: string): SourceDocument => ({ path: folder + name, name, extension: name.split(".").at(-1)! });
const options = { readFile: (path: string) => readFile(path), modelAcceptsImages: true };

describe("the document fixtures on disk", () => {
  it("reads the invoice and the two-page PDF", async () => {
    const { parts } = await sourcesToContent([document("invoice.pdf"), document("two-pages.pdf")], options);
    expect(texts(parts)).toEqual([
      'Document "invoice.pdf" (PDF, 1 page):\n\nPage 1:\nInvoice INV-7 total 1200.50',
      'Document "two-pages.pdf" (PDF, 2 pages):\n\nPage 1:\nVendor: Acme Corp\nDate: 2024-03-05\n\nPage 2:\nTotal due: 99.00 (EUR)',
    ]);
  });

  it("renders the scanned PDF (a 72 × 72 pt page) at 144 dpi as a 144 × 144 PNG", async () => {
    const { parts } = await sourcesToContent(document("scanned.pdf"), { ...options, dpi: 144 });
    const [image] = images(parts);
    expect(image?.mediaType).toBe("image/png");
    expect(await decodeImage(image!)).toMatchObject({ width: 144, height: 144 });
  });

  it("sends the PNG and the JPEG receipts as images", async () => {
    const { parts } = await sourcesToContent([document("receipt.png"), document("receipt.jpg")], options);
    expect(images(parts).map((part) => part.mediaType)).toEqual(["image/png", "image/jpeg"]);
  });

  it("reports the corrupt and the password-protected PDFs", async () => {
    expect((await sourceErrorOf(sourcesToContent(document("corrupt.pdf"), options), "corrupt.pdf")).kind).toBe("unreadable");
    expect((await sourceErrorOf(sourcesToContent(document("password.pdf"), options), "password.pdf")).kind).toBe("password");
  });
});
