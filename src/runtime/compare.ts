import { dateFromText, numberFromText, type DateValue, type NumberValue, type Value } from "./values.js";
import { display } from "./display.js";

/**
 * `is`: text ignores case and surrounding space; a number equals a text that reads as the
 * same number; a date equals an ISO text of the same day; lists compare item by item.
 */
export function valuesEqual(left: Value, right: Value): boolean {
  if (left.kind === "nothing" || right.kind === "nothing") return left.kind === right.kind;
  if (left.kind === "list" || right.kind === "list") {
    if (left.kind !== "list" || right.kind !== "list" || left.items.length !== right.items.length) return false;
    return left.items.every((item, index) => valuesEqual(item.value, right.items[index].value));
  }
  const numbers = asNumbers(left, right);
  if (numbers) return numbers[0].value.equals(numbers[1].value);
  const dates = asDates(left, right);
  if (dates) return dates[0].date === dates[1].date && (dates[0].time ?? "") === (dates[1].time ?? "");
  if (left.kind === "boolean" || right.kind === "boolean") return booleanText(left) === booleanText(right);
  return normalize(display(left)) === normalize(display(right));
}

export type Ordering = -1 | 0 | 1;

/** Order for `greater than`, `at most`, sorting: numbers, dates, or texts alphabetically. */
export function compareValues(left: Value, right: Value): Ordering | undefined {
  const numbers = asNumbers(left, right);
  if (numbers) return numbers[0].value.comparedTo(numbers[1].value) as Ordering;
  const dates = asDates(left, right);
  if (dates) {
    const a = `${dates[0].date} ${dates[0].time ?? ""}`;
    const b = `${dates[1].date} ${dates[1].time ?? ""}`;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (left.kind === "text" && right.kind === "text") {
    const order = left.text.localeCompare(right.text, "en", { sensitivity: "base", numeric: true });
    return order < 0 ? -1 : order > 0 ? 1 : 0;
  }
  return undefined;
}

function asNumbers(left: Value, right: Value): [NumberValue, NumberValue] | undefined {
  if (left.kind !== "number" && right.kind !== "number") return undefined;
  const a = left.kind === "number" ? left : left.kind === "text" ? numberFromText(left.text) : undefined;
  const b = right.kind === "number" ? right : right.kind === "text" ? numberFromText(right.text) : undefined;
  return a && b ? [a, b] : undefined;
}

function asDates(left: Value, right: Value): [DateValue, DateValue] | undefined {
  if (left.kind !== "date" && right.kind !== "date") return undefined;
  const a = left.kind === "date" ? left : left.kind === "text" ? dateFromText(left.text) : undefined;
  const b = right.kind === "date" ? right : right.kind === "text" ? dateFromText(right.text) : undefined;
  return a && b ? [a, b] : undefined;
}

function booleanText(value: Value): string {
  if (value.kind === "boolean") return value.value ? "yes" : "no";
  const word = normalize(display(value));
  if (word === "true") return "yes";
  if (word === "false") return "no";
  return word;
}

function normalize(textValue: string): string {
  return textValue.trim().toLowerCase();
}

/** The text a document or value shows to `contains`, `starts with`, `ends with`. */
export function searchableText(value: Value): string {
  if (value.kind === "document") return value.text ?? "";
  return display(value);
}
