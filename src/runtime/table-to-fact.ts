import { attributeName } from "./json-to-fact.js";
import { dateFromText, Fact, list, NOTHING, numberFromText, text, type Value } from "./values.js";

/** Why a table's header can't name its columns. */
export class TableHeaderProblem extends Error {}

/**
 * The rows of a CSV table (the first is the header) → a list of records, one attribute per
 * column, named as JSON keys are (lower-cased, `_` read as a space). A column whose filled cells
 * all read as numbers holds numbers (`1,200.50`, `$5`, `15%`), one whose cells all read as ISO
 * dates holds dates; any other column holds texts, and so does one with a number written with a
 * leading zero (`02134`: a code, not a number). An empty cell is nothing.
 */
export function tableToFact(rows: readonly string[][]): Fact {
  if (rows.length === 0) return new Fact(list([]));
  const names = columnNames(rows[0]);
  const body = rows.slice(1);
  const readers = names.map((_, column) => columnReader(body, column));
  return new Fact(
    list(
      body.map((row) => {
        const record = new Fact();
        names.forEach((name, column) => record.setAttribute(name, new Fact(readers[column](row[column] ?? ""))));
        return record;
      }),
    ),
  );
}

function columnNames(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((written, index) => {
    const name = attributeName(written) || `column ${index + 1}`;
    const earlier = seen.get(name);
    if (earlier !== undefined) throw new TableHeaderProblem(`columns ${earlier + 1} and ${index + 1} are both called "${name}"`);
    seen.set(name, index);
    return name;
  });
}

type CellReader = (cell: string) => Value;

const asText: CellReader = (cell) => (cell === "" ? NOTHING : text(cell));
const asNumber: CellReader = (cell) => (cell.trim() === "" ? NOTHING : numberFromText(cell)!);
const asDate: CellReader = (cell) => (cell.trim() === "" ? NOTHING : dateFromText(cell)!);

/** One pass over a column decides how all its cells read. */
function columnReader(rows: readonly string[][], column: number): CellReader {
  let numbers = true;
  let dates = true;
  let filled = 0;
  for (const row of rows) {
    const cell = (row[column] ?? "").trim();
    if (cell === "") continue;
    filled += 1;
    if (numbers && (numberFromText(cell) === undefined || /^-?0\d/.test(cell))) numbers = false;
    if (dates && dateFromText(cell) === undefined) dates = false;
    if (!numbers && !dates) return asText;
  }
  if (filled === 0) return asText;
  return numbers ? asNumber : dates ? asDate : asText;
}
