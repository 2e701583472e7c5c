import { describe, expect, it } from "vitest";
import { buildPdf } from "../../support/pdf-builder.js";
import { corruptPdf, invoicePdf, invoiceText, mixedPdf, passwordPdf, scannedPdf, twoPagePdf } from "../../support/document-fixtures.js";
import { convert, decodeImage, documentNamed, images, sourceErrorOf, texts } from "../../support/source-documents.js";

describe("PDF sources", () => {
  it("sends the text layer of a one-page PDF, introduced by the file name", async () => {
    const { parts, warnings } = await convert(documentNamed("invoice.pdf"), { "invoice.pdf": invoicePdf() });
    expect(parts).toEqual([{ type: "text", text: `Document "invoice.pdf" (PDF, 1 page):\n\nPage 1:\n${invoiceText}` }]);
    expect(warnings).toEqual([]);
  });

  it("sends the pages of a two-page PDF in order, line by line", async () => {
    const { parts } = await convert(documentNamed("order.PDF"), { "order.PDF": twoPagePdf() });
    expect(texts(parts)).toEqual([
      'Document "order.PDF" (PDF, 2 pages):\n\nPage 1:\nVendor: Acme Corp\nDate: 2024-03-05\n\nPage 2:\nTotal due: 99.00 (EUR)',
    ]);
    expect(images(parts)).toEqual([]);
  });

  it("does not render pages that have text, whether or not the model takes images", async () => {
    const withImages = await convert(documentNamed("invoice.pdf"), { "invoice.pdf": invoicePdf() }, { modelAcceptsImages: true });
    const withoutImages = await convert(documentNamed("invoice.pdf"), { "invoice.pdf": invoicePdf() }, { modelAcceptsImages: false });
    expect(withImages.parts).toEqual(withoutImages.parts);
  });

  it("sends a scanned PDF as one PNG per page, whose pixel size follows the dpi", async () => {
    const files = { "scan.pdf": scannedPdf(2) };
    const { parts, warnings } = await convert(documentNamed("scan.pdf"), files, { dpi: 144 });
    expect(parts.map((part) => (part.type === "text" ? part.text : part.mediaType))).toEqual([
      'Document "scan.pdf" (PDF, 2 pages, scanned: each page is the image after its number):\n\nPage 1:',
      "image/png",
      "Page 2:",
      "image/png",
    ]);
    expect(warnings).toEqual([]);
    for (const image of images(parts)) {
      const decoded = await decodeImage(image);
      // A 72 × 72 pt page (one inch) at 144 dpi.
      expect([decoded.width, decoded.height]).toEqual([144, 144]);
      // The scanned words were drawn: the page is not blank.
      expect(decoded.darkPixels).toBeGreaterThan(50);
    }
  });

  it("renders at 100 dpi by default, and at the dpi given", async () => {
    const files = { "scan.pdf": scannedPdf() };
    const sizes = [];
    for (const dpi of [undefined, 72, 200]) {
      const { parts } = await convert(documentNamed("scan.pdf"), files, dpi === undefined ? {} : { dpi });
      const decoded = await decodeImage(images(parts)[0]!);
      sizes.push([decoded.width, decoded.height]);
    }
    expect(sizes).toEqual([
      [100, 100],
      [72, 72],
      [200, 200],
    ]);
  });

  it("fails for a scanned PDF when the model takes no images, naming the file and the fix", async () => {
    const error = await sourceErrorOf(convert(documentNamed("scan.pdf"), { "scan.pdf": scannedPdf() }, { modelAcceptsImages: false }), "scan.pdf");
    expect(error.kind).toBe("needs-images");
    expect(error.path).toBe("/docs/scan.pdf");
    expect(error.message).toMatch(/no text layer.*does not accept images.*Choose a model that accepts images/s);
  });

  it("renders only the pages without text of a mixed PDF", async () => {
    const { parts, warnings } = await convert(documentNamed("letter.pdf"), { "letter.pdf": mixedPdf() }, { dpi: 72 });
    expect(parts.map((part) => (part.type === "text" ? part.text : part.mediaType))).toEqual([
      'Document "letter.pdf" (PDF, 2 pages):\n\nPage 1:\nCover letter for order 55\n\nPage 2:',
      "image/png",
    ]);
    expect(warnings).toEqual([]);
  });

  it("leaves out the pages without text of a mixed PDF, with a warning, when the model takes no images", async () => {
    const { parts, warnings } = await convert(documentNamed("letter.pdf"), { "letter.pdf": mixedPdf() }, { modelAcceptsImages: false });
    expect(parts).toEqual([{ type: "text", text: 'Document "letter.pdf" (PDF, 2 pages):\n\nPage 1:\nCover letter for order 55' }]);
    expect(warnings).toEqual([
      'Page 2 of "letter.pdf" has no text layer and was left out: the model in use does not accept images. Choose a model that accepts images to include it.',
    ]);
  });

  it("adds an image of every page after its text with pageImages all-pages", async () => {
    const { parts } = await convert(documentNamed("order.pdf"), { "order.pdf": twoPagePdf() }, { pageImages: "all-pages", dpi: 72 });
    expect(parts.map((part) => (part.type === "text" ? part.text.split("\n").at(-1) : part.mediaType))).toEqual([
      "Date: 2024-03-05",
      "image/png",
      "Total due: 99.00 (EUR)",
      "image/png",
    ]);
    // A 200 × 100 pt page at 72 dpi; the text was drawn.
    const decoded = await decodeImage(images(parts)[0]!);
    expect([decoded.width, decoded.height, decoded.darkPixels > 20]).toEqual([200, 100, true]);
  });

  it("renders a page larger than the pixel budget at a lower dpi, with a warning", async () => {
    const { parts, warnings } = await convert(documentNamed("scan.pdf"), { "scan.pdf": scannedPdf() }, { dpi: 300, maxPagePixels: 100 * 100 });
    const decoded = await decodeImage(images(parts)[0]!);
    expect([decoded.width, decoded.height]).toEqual([100, 100]);
    expect(warnings).toEqual(['Page 1 of "scan.pdf" is large: it was rendered at 100 dpi instead of 300, to stay within 10000 pixels.']);
  });

  it("refuses a PDF with more pages than the limit, before reading any page", async () => {
    const threePages = buildPdf([1, 2, 3].map((number) => ({ kind: "text" as const, lines: [`Page text ${number}`] })));
    const error = await sourceErrorOf(convert(documentNamed("long.pdf"), { "long.pdf": threePages }, { maxPages: 2 }), "long.pdf");
    expect(error.kind).toBe("too-many-pages");
    expect(error.message).toBe(
      '"long.pdf" has 3 pages, more than the 2 pages one PDF may have. Split it into smaller files (for example one per section) and give them one at a time, or as a list.',
    );
    await expect(convert(documentNamed("long.pdf"), { "long.pdf": threePages }, { maxPages: 3 })).resolves.toBeDefined();
  });

  it("reports a damaged PDF in English, naming the file", async () => {
    const error = await sourceErrorOf(convert(documentNamed("broken.pdf"), { "broken.pdf": corruptPdf() }), "broken.pdf");
    expect(error.kind).toBe("unreadable");
    expect(error.message).toBe(
      '"broken.pdf" could not be read as a PDF (Invalid PDF structure): the file is damaged or is not a PDF. Open it in a PDF viewer to check it, then export it again as PDF.',
    );
  });

  it("reports a file that is not a PDF at all, and an empty file", async () => {
    const notPdf = await sourceErrorOf(convert(documentNamed("notes.pdf"), { "notes.pdf": new TextEncoder().encode("just some notes") }), "notes.pdf");
    expect(notPdf.kind).toBe("unreadable");
    const empty = await sourceErrorOf(convert(documentNamed("empty.pdf"), { "empty.pdf": new Uint8Array() }), "empty.pdf");
    expect(empty.kind).toBe("unreadable");
  });

  it("reports a PDF that asks for a password, with the fix", async () => {
    const error = await sourceErrorOf(convert(documentNamed("salaries.pdf"), { "salaries.pdf": passwordPdf() }), "salaries.pdf");
    expect(error.kind).toBe("password");
    expect(error.message).toContain("protected by a password");
    expect(error.message).toContain("Save a copy without the password");
  });

  it("accepts a Node Buffer, as Node's readFile gives (pdfjs itself refuses Buffers)", async () => {
    const { parts } = await convert(documentNamed("invoice.pdf"), { "invoice.pdf": Buffer.from(invoicePdf()) });
    expect(texts(parts)[0]).toContain(invoiceText);
  });

  it("leaves the caller's bytes usable (pdfjs takes over the buffer it is given)", async () => {
    const bytes = invoicePdf();
    await convert(documentNamed("invoice.pdf"), { "invoice.pdf": bytes });
    expect(bytes.byteLength).toBeGreaterThan(0);
    const again = await convert(documentNamed("invoice.pdf"), { "invoice.pdf": bytes });
    expect(texts(again.parts)[0]).toContain(invoiceText);
  });

  it("stops between pages when the signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await sourceErrorOf(convert(documentNamed("scan.pdf"), { "scan.pdf": scannedPdf() }, { signal: controller.signal }), "scan.pdf");
    expect(error.kind).toBe("aborted");
  });
});
