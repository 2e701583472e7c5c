import type { ProcedureCall } from "../src/runtime/procedure.js";
import { display, factToJson } from "../src/runtime/display.js";
import { originalKey } from "../src/runtime/original-keys.js";
import type { Fact, Value } from "../src/runtime/values.js";

/**
 * A table (a list of records, or one record) as CSV text (RFC 4180, through csv-stringify,
 * loaded only when a table is written). The header is the records' attributes in the order first
 * seen, each under the key it was read from (`Due_Date`); a record without an attribute leaves
 * its cell empty. Cells are written for other programs to read: numbers plainly (`1240.5`),
 * amounts plainly with two decimals and no sign or thousands separator (`1240.50`, read back as a
 * plain number: the currency is not kept), percentages as `15%`, dates as `2024-11-05` (with a time
 * `2024-11-05T09:30:00`), yes/no as `yes`/`no`, nothing as an empty cell, a list or record in a
 * cell as its JSON text.
 */
export async function tableAsCsv(call: Pick<ProcedureCall, "fail">, table: Fact, written: string): Promise<string> {
  const rows = table.value.kind === "list" ? table.value.items : [table];
  const header = new Map<string, string>();
  rows.forEach((row, index) => {
    if (!row.hasAttributes() && !(row.attributes !== undefined && row.value.kind === "nothing")) {
      call.fail(`I can't write item ${index + 1} of the list to "${written}" as a row: it is ${describeItem(row.value)}, not a record.`, "fix: write a list of records (such as a table read from a .csv file), or write to a .txt or .json file.");
    }
    for (const name of row.attributes?.keys() ?? []) if (!header.has(name)) header.set(name, originalKey(row, name));
  });
  const names = [...header.keys()];
  const { stringify } = await import("csv-stringify/sync");
  const body = rows.map((row) => names.map((name) => cell(row.attribute(name))));
  return stringify([[...header.values()], ...body]);
}

function describeItem(value: Value): string {
  return value.kind === "text" ? `the text "${value.text.length > 40 ? `${value.text.slice(0, 39)}…` : value.text}"` : `"${display(value)}"`;
}

function cell(fact: Fact | undefined): string {
  if (fact === undefined) return "";
  if (fact.hasAttributes() || fact.value.kind === "list") return JSON.stringify(factToJson(fact, "original"));
  const value = fact.value;
  switch (value.kind) {
    case "nothing": return "";
    case "number":
      if (value.unit === "%") return display(value);
      return value.unit ? value.value.toFixed(2) : value.value.toFixed();
    case "date": return value.time ? `${value.date}T${value.time}` : value.date;
    case "document": return value.path;
    default: return display(value);
  }
}
