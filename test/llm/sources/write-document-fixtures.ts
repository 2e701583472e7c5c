/**
 * Writes test/fixtures/documents/ again from document-fixtures.ts. Run from the
 * repository root: `npx tsc -p tsconfig.json && node dist/test/llm/sources/write-document-fixtures.js`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { corruptPdf, invoicePdf, passwordPdf, scanJpeg, scanPng, scannedPdf, twoPagePdf } from "../../support/document-fixtures.js";

const documentFixtures = (): Record<string, Uint8Array> => ({
  "invoice.pdf": invoicePdf(),
  "two-pages.pdf": twoPagePdf(),
  "scanned.pdf": scannedPdf(),
  "corrupt.pdf": corruptPdf(),
  "password.pdf": passwordPdf(),
  "receipt.png": scanPng(120, 60, "TOTAL 42"),
  "receipt.jpg": scanJpeg(120, 60, "TOTAL 42"),
});

const folder = join(process.cwd(), "test", "fixtures", "documents");
await mkdir(folder, { recursive: true });
for (const [name, bytes] of Object.entries(documentFixtures())) await writeFile(join(folder, name), bytes);
console.log(`Wrote ${Object.keys(documentFixtures()).length} files to ${folder}`);
