import { createCanvas, loadImage } from "@napi-rs/canvas";
import { expect } from "vitest";
import type { ContentPart, ImagePart } from "../../src/llm/language-model.js";
import { SourceError } from "../../src/llm/sources/source-error.js";
import type { SourceDocument, SourcesOptions } from "../../src/llm/sources/source.js";
import { sourcesToContent } from "../../src/llm/sources/sources-to-content.js";
import type { Source } from "../../src/llm/sources/source.js";

/** A document at `/docs/<name>`, as the runtime's `openDocument` would give it for a binary file. */
export function documentNamed(name: string, text?: string): SourceDocument {
  const document: SourceDocument = { path: `/docs/${name}`, name, extension: name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : "" };
  if (text !== undefined) document.text = text;
  return document;
}

/** Reads from a map of file name to bytes; a missing file fails as Node's `readFile` does. */
export function filesReader(files: Record<string, Uint8Array>): (path: string) => Promise<Uint8Array> {
  return async (path) => {
    const bytes = files[path.replace(/^\/docs\//, "")];
    if (bytes === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
    return bytes;
  };
}

export function convert(sources: Source, files: Record<string, Uint8Array>, options: Partial<SourcesOptions> = {}) {
  return sourcesToContent(sources, { readFile: filesReader(files), modelAcceptsImages: true, ...options });
}

/** The `SourceError` a conversion fails with; its message names the file and shows no stack. */
export async function sourceErrorOf(conversion: Promise<unknown>, fileName?: string): Promise<SourceError> {
  const error = await conversion.then(
    () => expect.unreachable("the conversion should have failed"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SourceError);
  const sourceError = error as SourceError;
  if (fileName !== undefined) expect(sourceError.message).toContain(`"${fileName}"`);
  expect(sourceError.message).not.toMatch(/\n\s+at /);
  return sourceError;
}

export function texts(parts: ContentPart[]): string[] {
  return parts.flatMap((part) => (part.type === "text" ? [part.text] : []));
}

export function images(parts: ContentPart[]): ImagePart[] {
  return parts.filter((part): part is ImagePart => part.type === "image");
}

/** Decodes an image part with @napi-rs/canvas: its pixel size and how many of its pixels are dark. */
export async function decodeImage(part: ImagePart): Promise<{ width: number; height: number; darkPixels: number }> {
  const image = await loadImage(Buffer.from(part.base64, "base64"));
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  let darkPixels = 0;
  for (let index = 0; index < data.length; index += 4) if (data[index]! + data[index + 1]! + data[index + 2]! < 3 * 100) darkPixels++;
  return { width: image.width, height: image.height, darkPixels };
}
