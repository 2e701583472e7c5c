import { describe, expect, it } from "vitest";
import { imageFormatOf } from "../../../src/llm/sources/image-format.js";
import { invoicePdf, scanJpeg, scanPng } from "../../support/document-fixtures.js";
import { convert, decodeImage, documentNamed, images, sourceErrorOf } from "../../support/source-documents.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("text sources", () => {
  it("sends a text as it is and a text document introduced by its file name", async () => {
    const { parts, warnings } = await convert(["Extract the vendor.", documentNamed("notes.md", "# Notes\nAcme Corp")], {});
    expect(parts).toEqual([
      { type: "text", text: "Extract the vendor." },
      { type: "text", text: 'Document "notes.md":\n# Notes\nAcme Corp' },
    ]);
    expect(warnings).toEqual([]);
  });

  it("reads a text document that was not read yet as UTF-8, without its byte-order mark", async () => {
    const { parts } = await convert(
      [documentNamed("vendors.csv"), documentNamed("page.html"), documentNamed("data.json"), documentNamed("todo.txt")],
      { "vendors.csv": utf8("\ufeffname,total\nAcme,12"), "page.html": utf8("<p>Hi</p>"), "data.json": utf8('{"a":1}'), "todo.txt": utf8("Café") },
    );
    expect(parts).toEqual([
      { type: "text", text: 'Document "vendors.csv":\nname,total\nAcme,12' },
      { type: "text", text: 'Document "page.html":\n<p>Hi</p>' },
      { type: "text", text: 'Document "data.json":\n{"a":1}' },
      { type: "text", text: 'Document "todo.txt":\nCafé' },
    ]);
  });

  it("says that a text file is empty rather than sending an empty part, and skips empty texts", async () => {
    const { parts } = await convert(["  ", documentNamed("empty.txt", "")], {});
    expect(parts).toEqual([{ type: "text", text: 'Document "empty.txt" (empty file)' }]);
  });

  it("keeps the order of nested lists of sources", async () => {
    const { parts } = await convert(["a", [documentNamed("b.txt", "B"), ["c", documentNamed("invoice.pdf")]], "d"], { "invoice.pdf": invoicePdf() });
    expect(parts.map((part) => (part.type === "text" ? part.text.split("\n")[0] : part.type))).toEqual([
      "a",
      'Document "b.txt":',
      "c",
      'Document "invoice.pdf" (PDF, 1 page):',
      "d",
    ]);
  });
});

describe("image sources", () => {
  it("sends a PNG and a JPEG as image parts with their media types", async () => {
    const png = scanPng(40, 30, "PNG");
    const jpeg = scanJpeg(50, 20, "JPG");
    const { parts, warnings } = await convert([documentNamed("receipt.png"), documentNamed("photo.jpg"), documentNamed("photo2.JPEG")], {
      "receipt.png": png,
      "photo.jpg": jpeg,
      "photo2.JPEG": jpeg,
    });
    expect(parts).toEqual([
      { type: "text", text: 'Document "receipt.png" (image, 40×30 pixels):' },
      { type: "image", mediaType: "image/png", base64: Buffer.from(png).toString("base64") },
      { type: "text", text: 'Document "photo.jpg" (image, 50×20 pixels):' },
      { type: "image", mediaType: "image/jpeg", base64: Buffer.from(jpeg).toString("base64") },
      { type: "text", text: 'Document "photo2.JPEG" (image, 50×20 pixels):' },
      { type: "image", mediaType: "image/jpeg", base64: Buffer.from(jpeg).toString("base64") },
    ]);
    expect(warnings).toEqual([]);
    expect(await decodeImage(images(parts)[0]!)).toMatchObject({ width: 40, height: 30 });
    expect(await decodeImage(images(parts)[1]!)).toMatchObject({ width: 50, height: 20 });
  });

  it("sends an image with the media type of its content when the extension is wrong, with a warning", async () => {
    const { parts, warnings } = await convert(documentNamed("scan.jpg"), { "scan.jpg": scanPng(10, 10, "x") });
    expect(images(parts).map((part) => part.mediaType)).toEqual(["image/png"]);
    expect(warnings).toEqual(['"scan.jpg" is a PNG image despite its extension; it was sent as one.']);
  });

  it("fails for an image when the model takes no images, naming the file and the fix", async () => {
    const error = await sourceErrorOf(convert(documentNamed("receipt.png"), { "receipt.png": scanPng(10, 10, "x") }, { modelAcceptsImages: false }), "receipt.png");
    expect(error.kind).toBe("needs-images");
    expect(error.message).toContain("Choose a model that accepts images");
  });

  it("reports an image file that is not an image, or is cut short", async () => {
    const text = await sourceErrorOf(convert(documentNamed("logo.png"), { "logo.png": utf8("<svg></svg>") }), "logo.png");
    expect(text.kind).toBe("unreadable");
    expect(text.message).toBe(
      '"logo.png" is not a readable PNG or JPEG image: the file is damaged or its content is of another kind. Open it in an image viewer and save it again as .png or .jpg.',
    );
    const cut = await sourceErrorOf(convert(documentNamed("photo.jpg"), { "photo.jpg": scanJpeg(10, 10, "x").slice(0, 12) }), "photo.jpg");
    expect(cut.kind).toBe("unreadable");
  });
});

describe("files that cannot be sent", () => {
  it("reports a missing file in English, naming it", async () => {
    const error = await sourceErrorOf(convert(documentNamed("gone.pdf"), {}), "gone.pdf");
    expect(error.kind).toBe("unreadable");
    expect(error.message).toBe('I could not read "gone.pdf" (/docs/gone.pdf): it does not exist (check the path and the working folder).');
  });

  it("refuses an extension it cannot send, listing the ones it can", async () => {
    const error = await sourceErrorOf(convert(documentNamed("contract.docx"), { "contract.docx": utf8("PK") }), "contract.docx");
    expect(error.kind).toBe("unsupported");
    expect(error.message).toBe(
      '"contract.docx" is a .docx file, which I cannot give to a model: I read .txt, .md, .csv, .json, .html, .pdf, .png and .jpg files. Save it in one of these formats (for example as PDF) and give that file instead.',
    );
  });

  it("refuses a dpi out of range before reading anything", async () => {
    for (const dpi of [0, 5000, Number.NaN]) {
      const error = await sourceErrorOf(convert(documentNamed("gone.pdf"), {}, { dpi }));
      expect(error.kind).toBe("invalid-option");
      expect(error.message).toContain("must be between 20 and 600");
    }
  });
});

describe("imageFormatOf", () => {
  it("reads the size of a PNG and of a JPEG from their headers", () => {
    expect(imageFormatOf(scanPng(33, 7, "x"))).toEqual({ mediaType: "image/png", width: 33, height: 7 });
    expect(imageFormatOf(scanJpeg(17, 29, "x"))).toEqual({ mediaType: "image/jpeg", width: 17, height: 29 });
    expect(imageFormatOf(utf8("GIF89a"))).toBeUndefined();
    expect(imageFormatOf(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toBeUndefined();
  });
});
