/**
 * Writes small PDFs by hand for the tests: each page is either lines of text in
 * Helvetica (a text layer) or one JPEG drawn over the whole page (a scan, no
 * text). Offsets in the cross-reference table are computed, so pdfjs reads the
 * files without repairing them.
 */

export type PageSpec =
  | { kind: "text"; lines: string[]; widthPoints?: number; heightPoints?: number }
  | { kind: "jpeg"; jpeg: Uint8Array; pixelWidth: number; pixelHeight: number; widthPoints: number; heightPoints: number };

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (character) => character.charCodeAt(0) & 0xff);

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (character) => `\\${character}`);
}

export interface PdfOptions {
  /**
   * Adds a standard security handler whose password checks fail for the empty
   * password, so the file asks for a password (the content itself is left
   * unencrypted: a reader must stop before reading it).
   */
  passwordProtected?: boolean;
}

export function buildPdf(pages: PageSpec[], options: PdfOptions = {}): Uint8Array {
  // Object numbers: 1 catalog, 2 page tree, 3 font, then for each page: page, content, [image].
  const objects: Uint8Array[][] = [];
  const pageObjectNumbers: number[] = [];
  let next = 4;
  const pageObjects: { number: number; parts: Uint8Array[] }[] = [];
  for (const page of pages) {
    const pageNumber = next++;
    const contentNumber = next++;
    pageObjectNumbers.push(pageNumber);
    if (page.kind === "text") {
      const width = page.widthPoints ?? 200;
      const height = page.heightPoints ?? 100;
      const content = ["BT", "/F1 10 Tf", `10 ${height - 20} Td`, "12 TL"];
      page.lines.forEach((line, index) => content.push(`${index === 0 ? "" : "T* "}(${escapePdfString(line)}) Tj`));
      content.push("ET");
      const stream = content.join("\n");
      pageObjects.push({
        number: pageNumber,
        parts: [latin1(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentNumber} 0 R >>`)],
      });
      pageObjects.push({ number: contentNumber, parts: [latin1(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`)] });
    } else {
      const imageNumber = next++;
      const stream = `q ${page.widthPoints} 0 0 ${page.heightPoints} 0 0 cm /Im1 Do Q`;
      pageObjects.push({
        number: pageNumber,
        parts: [
          latin1(
            `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.widthPoints} ${page.heightPoints}] /Resources << /XObject << /Im1 ${imageNumber} 0 R >> >> /Contents ${contentNumber} 0 R >>`,
          ),
        ],
      });
      pageObjects.push({ number: contentNumber, parts: [latin1(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`)] });
      pageObjects.push({
        number: imageNumber,
        parts: [
          latin1(
            `<< /Type /XObject /Subtype /Image /Width ${page.pixelWidth} /Height ${page.pixelHeight} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.jpeg.byteLength} >>\nstream\n`,
          ),
          page.jpeg,
          latin1("\nendstream"),
        ],
      });
    }
  }
  objects[1] = [latin1("<< /Type /Catalog /Pages 2 0 R >>")];
  objects[2] = [latin1(`<< /Type /Pages /Kids [${pageObjectNumbers.map((number) => `${number} 0 R`).join(" ")}] /Count ${pages.length} >>`)];
  objects[3] = [latin1("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")];
  for (const { number, parts } of pageObjects) objects[number] = parts;
  let trailerExtra = "";
  if (options.passwordProtected) {
    const encryptNumber = next++;
    const hex32 = (seed: number) => Array.from({ length: 32 }, (_, index) => ((index * 37 + seed) & 0xff).toString(16).padStart(2, "0")).join("");
    objects[encryptNumber] = [latin1(`<< /Filter /Standard /V 1 /R 2 /O <${hex32(11)}> /U <${hex32(97)}> /P -44 >>`)];
    trailerExtra = ` /Encrypt ${encryptNumber} 0 R /ID [<${hex32(5).slice(0, 32)}> <${hex32(5).slice(0, 32)}>]`;
  }

  const chunks: Uint8Array[] = [latin1("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")];
  let length = chunks[0]!.byteLength;
  const offsets: number[] = [];
  for (let number = 1; number < next; number++) {
    offsets[number] = length;
    const body = [latin1(`${number} 0 obj\n`), ...objects[number]!, latin1("\nendobj\n")];
    for (const part of body) {
      chunks.push(part);
      length += part.byteLength;
    }
  }
  const xref = [`xref\n0 ${next}\n`, "0000000000 65535 f \n"];
  for (let number = 1; number < next; number++) xref.push(`${String(offsets[number]).padStart(10, "0")} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${next} /Root 1 0 R${trailerExtra} >>\nstartxref\n${length}\n%%EOF\n`);
  chunks.push(latin1(xref.join("")));

  const result = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return result;
}
