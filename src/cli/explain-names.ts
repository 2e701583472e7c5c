import type { CheckedProgram } from "../check/check-script.js";
import { formatLocation } from "../syntax/span.js";
import type { Writer } from "./writer.js";

/**
 * `prose check --explain-names`: which reading check chose for each name that starts with an
 * ordinal word (LANGUAGE.md §10.1), one note per name as written, in reading order.
 */
export function explainNames(program: CheckedProgram, writer: Writer): void {
  const readings = [...(program.listReadings ?? [])].sort((a, b) => (a.span.file === b.span.file ? a.span.start.offset - b.span.start.offset : a.span.file.localeCompare(b.span.file)));
  for (const reading of readings) {
    const meaning = reading.list
      ? `an item of ${reading.listText} (the script treats ${reading.listText} as a list)`
      : `${reading.plainText} (the script never treats ${reading.listText} as a list)`;
    writer.out(`${formatLocation(reading.span)}: note: "${reading.text}" is ${meaning}.`);
  }
}
