import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { invoicePdf, mixedPdf, passwordPdf, scannedPdf, twoPagePdf } from "../support/document-fixtures.js";
import { lines, output, run } from "../support/run-script.js";

const attributes = ["say the file's file name", "say the file's extension", "say the file's size", "say the file's path", "say the file's pages", "say the file's text"];

describe("a document's own attributes", () => {
  it("are its file name, extension, size, path, pages and text, for a text file", async () => {
    const result = await run(lines('read the file "notes/readme.md"', ...attributes), { files: { "notes/readme.md": "# Title\nHello" } });
    expect(result.output).toEqual(["readme.md", "md", "13", "/scripts/notes/readme.md", "1", "# Title\nHello"]);
  });

  it("give a PDF's number of pages and its text layer", async () => {
    const pdf = twoPagePdf();
    const result = await run(lines('read the file "Invoice.PDF"', ...attributes), { files: { "Invoice.PDF": pdf } });
    expect(result.output).toEqual(["Invoice.PDF", "pdf", String(pdf.byteLength), "/scripts/Invoice.PDF", "2", "Vendor: Acme Corp\nDate: 2024-03-05\n\nTotal due: 99.00 (EUR)"]);
  });

  it("work inside conditions and values, on a document given as an input too", async () => {
    const source = lines("if the invoice's pages is greater than 1", '    say "long"', "otherwise", '    say "one page: {the invoice\'s text}"', "the words are the invoice's text");
    expect(await output(lines('read the file "a.pdf" as the invoice', source), { files: { "a.pdf": invoicePdf() } })).toEqual(["one page: Invoice INV-7 total 1200.50"]);
  });

  it("give nothing as the text of a scan, and of an image", async () => {
    expect(await output(lines('read the file "scan.pdf"', "say the file's pages", "say the file's text"), { files: { "scan.pdf": scannedPdf(3) } })).toEqual(["3", "nothing"]);
    expect(await output(lines('read the file "mixed.pdf"', "say the file's text"), { files: { "mixed.pdf": mixedPdf() } })).toEqual(["Cover letter for order 55"]);
    expect(await output(lines('read the file "logo.png"', "say the file's pages", "say the file's text"), { files: { "logo.png": new Uint8Array([137, 80, 78, 71]) } })).toEqual(["1", "nothing"]);
  });

  it("reach every document of a list of documents", async () => {
    const source = lines('read the file "a.pdf" as the first document', 'read the file "b.txt" as the second document', "say the documents' file names", "say the sum of the documents' pages", "say the documents' extensions");
    expect(await output(source, { files: { "a.pdf": twoPagePdf(), "b.txt": "hi" } })).toEqual(["a.pdf and b.txt", "3", "pdf and txt"]);
  });

  it("report a PDF that can't be read, in English at the statement", async () => {
    const found = await failure(lines('read the file "bad.pdf"', "say the file's size", "say the file's pages"), { files: { "bad.pdf": "not a pdf at all" } });
    expect(found.message).toMatch(/^I can't read "bad.pdf" as a PDF: .+\.$/);
    expect(found.at).toBe("/scripts/main.prose:3:1");
    expect(found.fix).toBe("fix: check that the file is a whole, unencrypted PDF; open it in a PDF reader to see.");
    expect((await failure(lines('read the file "secret.pdf"', "say the file's pages"), { files: { "secret.pdf": passwordPdf() } })).message).toMatch(/^I can't read "secret.pdf" as a PDF/);
  });

  it("are the only possessives a document answers itself: any other is a field the model reads (here there is no model)", async () => {
    const found = await failure(lines('read the file "a.txt"', "say the file's vendor"), { files: { "a.txt": "x" } });
    expect(found.message).toBe("This run cannot call a model.");
  });
});
