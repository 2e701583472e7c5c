import type { ProcedureCall } from "../src/runtime/procedure.js";
import { display, factToJson } from "../src/runtime/display.js";
import type { Fact } from "../src/runtime/values.js";

/**
 * A table (a list of records, or one record) as the CSV file an email carries (RFC 4180, through
 * csv-stringify, loaded only when a table is attached). The header is the records' attributes in
 * the order first seen; a record without one leaves its cell empty. Cells read back as the same
 * values: numbers plainly (`1240.5`), amounts with two decimals and no sign (`1240.50`),
 * percentages as `15%`, dates as `2024-11-05` (`2024-11-05T09:30:00` with a time), yes/no as
 * `yes`/`no`, nothing as an empty cell, a list or record in a cell as its JSON text.
 */
export async function tableAsCsv(call: Pick<ProcedureCall, "fail">, table: Fact): Promise<string> {
  const rows = table.value.kind === "list" ? table.value.items : [table];
  const names: string[] = [];
  rows.forEach((row, index) => {
    if (!row.hasAttributes()) call.fail(`I can't attach item ${index + 1} of the list as a row of a table: it is "${display(row.value).slice(0, 80)}", not a record.`, "fix: attach a list of records (such as a table read from a .csv file).");
    for (const name of row.attributes?.keys() ?? []) if (!names.includes(name)) names.push(name);
  });
  const { stringify } = await import("csv-stringify/sync");
  return stringify([names, ...rows.map((row) => names.map((name) => cell(row.attribute(name))))]);
}

function cell(fact: Fact | undefined): string {
  if (fact === undefined) return "";
  if (fact.hasAttributes() || fact.value.kind === "list") return JSON.stringify(factToJson(fact));
  const value = fact.value;
  switch (value.kind) {
    case "nothing":
      return "";
    case "number":
      if (value.unit === "%") return display(value);
      return value.unit ? value.value.toFixed(2) : value.value.toFixed();
    case "date":
      return value.time ? `${value.date}T${value.time}` : value.date;
    case "document":
      return value.name;
    default:
      return display(value);
  }
}
