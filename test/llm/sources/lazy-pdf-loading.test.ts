import { createRequire } from "node:module";
import { describe, expect, it, vi } from "vitest";
import { buildPdf } from "../../support/pdf-builder.js";

/**
 * pdfjs-dist is wrapped so that loading it is recorded, then works as usual.
 * pdfjs loads @napi-rs/canvas itself, with `require`: that shows in Node's
 * module cache. (This file imports neither, nor the fixtures that draw with
 * @napi-rs/canvas.)
 */
const loaded = vi.hoisted(() => [] as string[]);
vi.mock("pdfjs-dist/legacy/build/pdf.mjs", async (importOriginal) => {
  loaded.push("pdfjs-dist");
  return importOriginal();
});
vi.mock("pdfjs-dist/legacy/build/pdf.worker.mjs", async (importOriginal) => {
  loaded.push("pdfjs-dist worker");
  return importOriginal();
});
vi.mock("@napi-rs/canvas", async (importOriginal) => {
  loaded.push("@napi-rs/canvas");
  return importOriginal();
});

const canvasLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes("@napi-rs/canvas"));

/** A PNG of one pixel. */
const onePixelPng = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

describe("loading the PDF libraries lazily", () => {
  it("loads neither pdfjs-dist nor @napi-rs/canvas for texts, text documents and images, and pdfjs-dist on the first PDF", async () => {
    const { sourcesToContent } = await import("../../../src/llm/sources/sources-to-content.js");
    const files: Record<string, Uint8Array> = {
      "/notes.txt": new TextEncoder().encode("notes"),
      "/pixel.png": onePixelPng,
      "/invoice.pdf": buildPdf([{ kind: "text", lines: ["Invoice INV-7 total 1200.50"] }]),
    };
    const readFile = async (path: string) => files[path]!;
    const document = (name: string) => ({ path: `/${name}`, name, extension: name.split(".").at(-1)! });

    const withoutPdf = await sourcesToContent(["a text", document("notes.txt"), document("pixel.png")], { readFile, modelAcceptsImages: true });
    expect(withoutPdf.parts).toHaveLength(4);
    expect(loaded).toEqual([]);
    expect(canvasLoaded()).toBe(false);

    const withPdf = await sourcesToContent([document("invoice.pdf")], { readFile, modelAcceptsImages: true });
    expect(withPdf.parts[0]).toMatchObject({ type: "text", text: expect.stringContaining("Invoice INV-7 total 1200.50") });
    expect(loaded).toEqual(["pdfjs-dist", "pdfjs-dist worker"]);
    // The check above can see @napi-rs/canvas: pdfjs-dist loads it as it starts.
    expect(canvasLoaded()).toBe(true);
  });
});
