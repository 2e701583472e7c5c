import { RuntimeError } from "./errors.js";
import { display } from "./display.js";
import type { Span } from "../syntax/span.js";
import { dateFromText, daysBetween, describeKind, number, text, type DateValue, type TextValue, type Value } from "./values.js";

const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * A date's own attributes: `weekday` (`Monday`), `day` (5), `month` (a number, 1 to 12),
 * `month name` (`March`) and `year` (2026), read from the date as held (its own calendar day,
 * in its time zone when it has one).
 */
export const dateAttributeNames: readonly string[] = ["weekday", "day", "month", "month name", "year"];

/**
 * The value of a date's own attribute, or undefined for any other name. A text that reads as an
 * ISO date (`"2026-05-12"`) has them too, as it counts as a date in `+ 3` and `-`.
 */
export function dateOwnAttribute(given: DateValue | TextValue, name: string): Value | undefined {
  if (!dateAttributeNames.includes(name)) return undefined;
  const value = given.kind === "date" ? given : dateFromText(given.text);
  if (!value) return undefined;
  const [year, month, day] = value.date.split("-").map(Number);
  switch (name) {
    case "weekday":
      return text(dayNames[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]);
    case "day":
      return number(day);
    case "month":
      return number(month);
    case "month name":
      return text(monthNames[month - 1]);
    case "year":
      return number(year);
    default:
      return undefined;
  }
}

/** `the number of days between A and B`: whole days from A to B, negative when B is earlier. */
export function daysBetweenValue(expression: { span: Span }, from: Value, to: Value): Value {
  const start = asDate(from);
  const end = asDate(to);
  const bad = !start ? from : !end ? to : undefined;
  if (!start || !end) {
    throw new RuntimeError(
      `I can't count the days between ${shown(from)} and ${shown(to)}: ${shown(bad!)} is not a date.`,
      expression.span,
      'fix: give two dates, such as today, a fact set with `convert … to a date`, or a text like "2026-05-12".',
    );
  }
  return number(daysBetween(start, end));
}

function asDate(value: Value): DateValue | undefined {
  return value.kind === "date" ? value : value.kind === "text" ? dateFromText(value.text) : undefined;
}

function shown(value: Value): string {
  return value.kind === "text" ? `"${value.text}"` : `${describeKind(value)} (${display(value)})`;
}
