import type { ContentPart } from "../language-model.js";
import { imageFormatOf } from "./image-format.js";
import { readSourceFile } from "./read-source-file.js";
import type { ResolvedOptions } from "./resolved-options.js";
import { SourceError } from "./source-error.js";
import type { SourceDocument } from "./source.js";

/**
 * A PNG or JPEG file as an introduction and an image part. The media type
 * comes from the bytes, not the extension: a PNG saved as `.jpg` is sent as
 * PNG (providers refuse a media type that does not match the image).
 */
export async function imageContent(document: SourceDocument, options: ResolvedOptions, warnings: string[]): Promise<ContentPart[]> {
  if (!options.modelAcceptsImages) {
    throw new SourceError(
      "needs-images",
      document.path,
      `"${document.name}" is an image, but the model in use does not accept images. Choose a model that accepts images in the block (for example \`the openai model is "gpt-4o"\`), or give the text it shows instead.`,
    );
  }
  const bytes = await readSourceFile(document, options.readFile);
  const format = imageFormatOf(bytes);
  if (format === undefined) {
    throw new SourceError(
      "unreadable",
      document.path,
      `"${document.name}" is not a readable PNG or JPEG image: the file is damaged or its content is of another kind. Open it in an image viewer and save it again as .png or .jpg.`,
    );
  }
  const declared = document.extension.replace(/^\./, "").toLowerCase() === "png" ? "image/png" : "image/jpeg";
  if (declared !== format.mediaType) {
    warnings.push(`"${document.name}" is a ${format.mediaType === "image/png" ? "PNG" : "JPEG"} image despite its extension; it was sent as one.`);
  }
  return [
    { type: "text", text: `Document "${document.name}" (image, ${format.width}×${format.height} pixels):` },
    { type: "image", mediaType: format.mediaType, base64: Buffer.from(bytes).toString("base64") },
  ];
}
