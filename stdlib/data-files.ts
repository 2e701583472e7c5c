import { jsonToFact } from "../src/runtime/json-to-fact.js";
import { LimitExceeded } from "../src/runtime/limit-exceeded.js";
import { tableToFact, TableHeaderProblem } from "../src/runtime/table-to-fact.js";
import { Fact, type DocumentValue } from "../src/runtime/values.js";
import { openDocument, type DocumentOpener } from "./files.js";

/**
 * Structured files open as data: a `.json` file is its parsed content (objects are records,
 * arrays lists), a `.csv` file a table (a list of records, one attribute per column). Any other
 * file is a document. A malformed file is an English error naming the file and where it broke.
 */
export async function openFile(call: DocumentOpener, written: string): Promise<Fact> {
  const document = await openDocument(call, written);
  try {
    if (document.extension === "json") return await jsonData(call, written, document);
    if (document.extension === "csv") return await tableData(call, written, document);
  } catch (problem) {
    // Data past Prose's limits (nesting, list length, text length): told with the file's name.
    if (problem instanceof LimitExceeded) return call.fail(`I can't read the file "${written}": ${problem.message}`, problem.fix);
    throw problem;
  }
  return new Fact(document);
}

export function jsonData(call: DocumentOpener, written: string, document: DocumentValue): Promise<Fact> | Fact {
  return jsonFromText(call, document.text ?? "", `The file "${written}"`);
}

/**
 * A JSON text as facts; when it is not JSON, an English error saying where it broke, about
 * `subject` (`The file "x.json"`, `The text`).
 */
export function jsonFromText(call: Pick<DocumentOpener, "fail">, source: string, subject: string): Promise<Fact> | Fact {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return jsonProblem(call, subject, source);
  }
  return jsonToFact(parsed);
}

const jsonProblems: Record<string, string> = {
  InvalidSymbol: "a character that has no place in JSON",
  InvalidNumberFormat: "a number written wrongly",
  PropertyNameExpected: "a name in double quotes was expected",
  ValueExpected: "a value was expected",
  ColonExpected: "a colon was expected",
  CommaExpected: "a comma was expected",
  CloseBraceExpected: "a closing } was expected",
  CloseBracketExpected: "a closing ] was expected",
  EndOfFileExpected: "the data should end here",
  InvalidCommentToken: "JSON has no comments",
  UnexpectedEndOfComment: "JSON has no comments",
  UnexpectedEndOfString: "a text is not closed",
  UnexpectedEndOfNumber: "a number is cut short",
  InvalidUnicode: "a \\u escape is not valid",
  InvalidEscapeCharacter: "a \\ escape is not valid",
  InvalidCharacter: "a control character stands inside a text",
};

/** Where JSON.parse gave up, found by a parser that reports places (loaded only for a broken file). */
async function jsonProblem(call: Pick<DocumentOpener, "fail">, subject: string, source: string): Promise<never> {
  const noun = subject.startsWith("The file") ? "file" : "text";
  if (source.trim() === "") return call.fail(`${subject} is empty, so it holds no JSON.`, `fix: put the data in it, or give another ${noun}.`);
  const { parse, printParseErrorCode } = await import("jsonc-parser");
  const errors: Array<{ error: number; offset: number }> = [];
  parse(source, errors as Parameters<typeof parse>[1], { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0] ?? { error: -1, offset: source.length };
  const { line, column } = placeOf(source, first.offset);
  const what = jsonProblems[printParseErrorCode(first.error as Parameters<typeof printParseErrorCode>[0])] ?? "the JSON is not valid";
  return call.fail(`${subject} is not valid JSON: at line ${line}, column ${column}, ${what}.`, `fix: correct the ${noun} there (a JSON checker or editor shows the same place).`);
}

function placeOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < source.length; index++) {
    if (source[index] === "\n") {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

interface CsvProblem {
  code?: string;
  lines?: number;
  message: string;
}

const csvProblems: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is never closed",
  CSV_INVALID_CLOSING_QUOTE: "a closing quote is followed by something other than a comma or the end of the line",
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "this row has a different number of fields than the header",
  CSV_RECORD_INCONSISTENT_COLUMNS: "this row has a different number of fields than the header",
  INVALID_OPENING_QUOTE: "a quote stands inside a field that does not start with one (such a field goes in double quotes, its quote written twice)",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "a closing quote is followed by something other than a comma or the end of the line",
};

/** The line of the quote that opens a field and is never closed (`""` inside a quoted field is a quote). */
function unclosedQuoteLine(source: string): number | undefined {
  let line = 1;
  let opened: number | undefined;
  for (let index = 0; index < source.length; index++) {
    const character = source[index];
    if (character === "\n") line += 1;
    else if (character === '"') opened = opened === undefined ? line : undefined;
  }
  return opened;
}

/** RFC 4180 through csv-parse (loaded on the first CSV file only); a `.tsv` file's fields are split by tabs. */
export async function tableData(call: DocumentOpener, written: string, document: DocumentValue): Promise<Fact> {
  const { parse } = await import("csv-parse/sync");
  let rows: string[][];
  try {
    rows = parse(document.text ?? "", { bom: true, skip_empty_lines: true, relax_column_count: false, ...(document.extension === "tsv" ? { delimiter: "\t" } : {}) }) as string[][];
  } catch (problem) {
    const found = problem as CsvProblem;
    const what = (found.code && csvProblems[found.code]) ?? found.message;
    // A quote never closed runs to the end of the file: the line where it opened is the one to fix.
    const line = found.code === "CSV_QUOTE_NOT_CLOSED" ? (unclosedQuoteLine(document.text ?? "") ?? found.lines) : found.lines;
    const where = typeof line === "number" ? ` at line ${line}` : "";
    return call.fail(`The file "${written}" is not a valid CSV table${where}: ${what}.`, 'fix: correct the file there; a field holding a comma, a quote or a line break goes in double quotes, with "" for a quote.');
  }
  try {
    return tableToFact(rows);
  } catch (problem) {
    if (problem instanceof TableHeaderProblem) return call.fail(`The file "${written}" has a header I can't use: ${problem.message}.`, "fix: give each column a name of its own in the first line.");
    throw problem;
  }
}
