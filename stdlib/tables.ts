import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { blockText, listArgument, textArgument } from "./arguments.js";
import { compareValues } from "../src/runtime/compare.js";
import { display } from "../src/runtime/display.js";
import { attributeName } from "../src/runtime/json-to-fact.js";
import { LimitExceeded } from "../src/runtime/limit-exceeded.js";
import { describeKind, type Fact } from "../src/runtime/values.js";
import { jsonData, tableData } from "./data-files.js";
import { openDocument } from "./files.js";

/**
 * Tables (LANGUAGE.md §10.4): a table is a list of records, one attribute per column, as a `.csv`
 * file opens. `read the table from the file` says so explicitly (and refuses a file that holds no
 * table); `sort … by …` orders its rows by a column. Writing one is `write … to the file "x.csv"`
 * (stdlib/files.ts, stdlib/table-writing.ts).
 */

const tableExtensions = new Set(["csv", "tsv", "json"]);

async function readTable(call: ProcedureCall, written: string): Promise<Fact> {
  const document = await openDocument(call, written);
  if (!tableExtensions.has(document.extension)) {
    return call.fail(`The file "${written}" is not a table: I read tables from .csv files (or .tsv, or .json holding a list of records), and this one is ${document.extension ? `a .${document.extension} file` : "a file without an extension"}.`, "fix: give a .csv file, or read other files with `read the file …`.");
  }
  let table: Fact;
  try {
    table = document.extension === "json" ? await jsonData(call, written, document) : await tableData(call, written, document);
  } catch (problem) {
    if (problem instanceof LimitExceeded) return call.fail(`I can't read the file "${written}": ${problem.message}`, problem.fix);
    throw problem;
  }
  if (table.value.kind !== "list" || table.value.items.some((row) => !isRecord(row))) {
    const held = table.value.kind === "list" ? "a list whose items are not all records" : table.hasAttributes() ? "one record" : describeKind(table.value);
    return call.fail(`The file "${written}" holds ${held}, not a table (a list of records).`, 'fix: give a JSON list of objects, such as [{"name": "Ann"}], or a .csv file.');
  }
  return table;
}

function isRecord(fact: Fact): boolean {
  return fact.hasAttributes() || (fact.attributes !== undefined && fact.value.kind === "nothing");
}

/** `by amount`, `by "Due_Date"`, `by the due date` → the attribute's name. */
function sortAttribute(call: ProcedureCall): string {
  return attributeName(textArgument(call, "attribute").replace(/^\s*the\s+/i, ""));
}

/**
 * Rows ordered by one attribute: numbers by value, dates by date, texts alphabetically ignoring
 * case; rows without it (or with nothing in it) go last in either order; rows that tie keep their
 * order. A name no row has is an error (a misspelt column would otherwise leave the list as it was).
 */
function sortBy(call: ProcedureCall): Fact[] {
  const items = listArgument(call, "list");
  const name = sortAttribute(call);
  const order = blockText(call, "order", "ascending").trim().toLowerCase();
  if (order !== "ascending" && order !== "descending") call.fail(`\`the order\` must be "ascending" or "descending", not "${order}".`, 'fix: write `the order is "descending"`, or leave the line out.');
  const valueOf = (item: Fact) => {
    const found = item.attribute(name)?.value;
    return found === undefined || found.kind === "nothing" ? undefined : found;
  };
  if (items.length > 0 && !items.some((item) => valueOf(item) !== undefined)) {
    const known = [...new Set(items.flatMap((item) => [...(item.attributes?.keys() ?? [])]))];
    const offered = known.length > 0 ? `its items have ${known.slice(0, 8).map((attribute) => `"${attribute}"`).join(", ")}${known.length > 8 ? ", …" : ""}` : "its items have no attributes";
    call.fail(`I can't sort by "${name}": no item of the list has it (${offered}).`, "fix: name one of the items' attributes, as in `sort the claims by amount`.");
  }
  const sign = order === "descending" ? -1 : 1;
  return [...items].sort((a, b) => {
    const left = valueOf(a);
    const right = valueOf(b);
    if (left === undefined || right === undefined) return left === right ? 0 : left === undefined ? 1 : -1;
    const ordering = compareValues(left, right);
    if (ordering === undefined) {
      return call.fail(`I can't sort by "${name}": "${display(left)}" (${describeKind(left)}) and "${display(right)}" (${describeKind(right)}) are not of one kind.`, `fix: make every item's ${name} a number, a date or a text.`);
    }
    return sign * ordering;
  });
}

export const tableProcedures: StandardProcedure[] = [
  {
    pattern: "read the table from the file {path}",
    resultName: "table",
    blockLines: [],
    description: "Reads a CSV file (RFC 4180, a header row) as a table: a list of records, one attribute per column; numbers, amounts and dates are typed where a whole column reads so.",
    run: (call) => readTable(call, textArgument(call, "path")),
  },
  {
    pattern: "sort {list} by {attribute}",
    changesInPlace: "list",
    nameSlot: "attribute",
    blockLines: ["order"],
    description: 'Sorts a list of records by one attribute (numbers by value, dates by date, texts ignoring case), ascending unless `the order is "descending"`; items without it go last.',
    run: (call) => ({ kind: "list", items: sortBy(call) }),
  },
];
