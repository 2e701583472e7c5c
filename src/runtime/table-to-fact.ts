import { attributeName } from "./json-to-fact.js";
import { rememberKey } from "./original-keys.js";
import { dateFromText, Fact, list, NOTHING, number, numberFromText, text, type Unit, type Value } from "./values.js";

/** Why a table's header can't name its columns. */
export class TableHeaderProblem extends Error {}

/**
 * The rows of a CSV table (the first is the header) → a list of records, one attribute per
 * column, named as JSON keys are (lower-cased, `_` read as a space). A column whose filled cells
 * all read as numbers holds numbers (`1,200.50`, `$5`, `15%`), one whose cells all read as ISO
 * dates holds dates; any other column holds texts, and so does one with a number written with a
 * leading zero (`02134`: a code, not a number). A number column where some cells carry one
 * currency sign (`$1,240.50`, `80.00`) holds amounts in that currency, every cell. An empty cell
 * is nothing. Each record remembers the header's spelling of its columns (`Due_Date`), to write
 * them back so.
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
        names.forEach((name, column) => {
          record.setAttribute(name, new Fact(readers[column](row[column] ?? "")));
          rememberKey(record, name, rows[0][column]);
        });
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
const asAmount =
  (currency: Unit): CellReader =>
  (cell) =>
    cell.trim() === "" ? NOTHING : number(numberFromText(cell)!.value, currency);
const asDate: CellReader = (cell) => (cell.trim() === "" ? NOTHING : dateFromText(cell)!);

/** One pass over a column decides how all its cells read. */
function columnReader(rows: readonly string[][], column: number): CellReader {
  let numbers = true;
  let dates = true;
  let filled = 0;
  // The one currency the column's signed cells share: undefined while none is seen, null when they differ or a cell is a percentage.
  let currency: Unit | null | undefined;
  for (const row of rows) {
    const cell = (row[column] ?? "").trim();
    if (cell === "") continue;
    filled += 1;
    const found = numbers ? numberFromText(cell) : undefined;
    if (numbers && (found === undefined || /^-?0\d/.test(cell))) numbers = false;
    if (found?.unit === "%") currency = null;
    else if (found?.unit !== undefined && currency !== null) currency = currency === undefined || currency === found.unit ? found.unit : null;
    if (dates && dateFromText(cell) === undefined) dates = false;
    if (!numbers && !dates) return asText;
  }
  if (filled === 0) return asText;
  if (numbers) return currency ? asAmount(currency) : asNumber;
  return dates ? asDate : asText;
}
