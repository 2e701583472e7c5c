/** What the first bytes of an image file say it is. */
export interface ImageFormat {
  mediaType: "image/png" | "image/jpeg";
  width: number;
  height: number;
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads the format and pixel size from a PNG's IHDR chunk or a JPEG's frame
 * header, without decoding the image; undefined when the bytes are neither.
 */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | undefined {
  return pngFormat(bytes) ?? jpegFormat(bytes);
}

function pngFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.byteLength < 24 || pngSignature.some((byte, index) => bytes[index] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") return undefined;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { mediaType: "image/png", width, height } : undefined;
}

/** Start-of-frame markers (baseline, progressive, …), not DHT (C4), JPG (C8) or DAC (CC). */
const startOfFrame = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.byteLength < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.byteLength) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image, or scan data before any frame
    const length = view.getUint16(offset + 2);
    if (startOfFrame.has(marker)) {
      if (offset + 9 > bytes.byteLength) return undefined;
      const height = view.getUint16(offset + 5);
      const width = view.getUint16(offset + 7);
      return width > 0 && height > 0 ? { mediaType: "image/jpeg", width, height } : undefined;
    }
    offset += 2 + length;
  }
  return undefined;
}
