import type { ProcedureCall } from "../src/runtime/procedure.js";
import { asNumber } from "../src/runtime/arithmetic.js";
import { display } from "../src/runtime/display.js";
import { isoDateProblem } from "../src/runtime/date-text.js";
import { dateFromText, describeKind, Fact, type DateValue, type NumberValue, type Value } from "../src/runtime/values.js";

/** Reading a procedure's arguments and block lines, with English errors when they don't fit: each names the value it got. */

/** A value as an error shows it: quoted, and cut to 60 characters. */
function shown(value: Value): string {
  const text = display(value);
  return `"${text.length > 60 ? `${text.slice(0, 59)}…` : text}"`;
}

export function argument(call: ProcedureCall, slot: string): Fact {
  return call.arguments.get(slot) ?? new Fact();
}

export function textArgument(call: ProcedureCall, slot: string): string {
  const value = argument(call, slot).value;
  if (value.kind === "document") return value.text ?? call.fail(`The document ${value.name} has no text I can read.`);
  if (value.kind === "list") call.fail(`I expected a text here, but got a list (${shown(value)}).`, "fix: pick one item, as in `the first …`, or `join` the list first.");
  return display(value);
}

export function numberArgument(call: ProcedureCall, slot: string): NumberValue {
  const value = argument(call, slot).value;
  const found = asNumber(value);
  if (!found) call.fail(`I expected a number here, but got ${describeKind(value)} (${shown(value)}).`, "fix: give a number here.");
  return found;
}

/** A date, or an ISO text; otherwise an English error naming the value (and why it is no date). */
export function dateArgument(call: ProcedureCall, slot: string): DateValue {
  const value = argument(call, slot).value;
  if (value.kind === "date") return value;
  const found = value.kind === "text" ? dateFromText(value.text) : undefined;
  if (found) return found;
  if (value.kind === "text") {
    call.fail(`"${value.text}" is not a date: ${isoDateProblem(value.text)}.`, 'fix: write the date as yyyy-MM-dd, such as "2024-11-05", or read it first with `convert … to a date` and `the format is "MM/dd/yyyy"`.');
  }
  call.fail(`I expected a date here, but got ${describeKind(value)} (${shown(value)}).`, 'fix: give a date such as today or "2024-11-05".');
}

export { isoDateProblem } from "../src/runtime/date-text.js";

export function listArgument(call: ProcedureCall, slot: string): Fact[] {
  const fact = argument(call, slot);
  if (fact.value.kind !== "list") call.fail(`I expected a list here, but got ${describeKind(fact.value)} (${shown(fact.value)}).`, 'fix: give a list, such as `the names` or "a", "b" and "c".');
  return fact.value.items;
}

/**
 * A block line's value. A line written with `are` (`the decimals are 2`) binds a list, so a
 * list of one item reads as that item.
 */
function blockValue(call: ProcedureCall, name: string): Fact | undefined {
  const fact = call.block.get(name);
  if (fact?.value.kind === "list" && fact.value.items.length === 1) return fact.value.items[0];
  return fact;
}

export function blockText(call: ProcedureCall, name: string, fallback: string): string {
  const fact = blockValue(call, name);
  return fact ? display(fact.value) : fallback;
}

export function blockNumber(call: ProcedureCall, name: string, fallback: number): number {
  const fact = blockValue(call, name);
  if (!fact) return fallback;
  const found = asNumber(fact.value);
  const verb = name.endsWith("s") ? "are" : "is";
  if (!found || !found.value.isInteger()) call.fail(`\`the ${name}\` must be a whole number, but it is "${display(fact.value)}".`, `fix: write it as \`the ${name} ${verb} ${fallback}\`.`);
  return found.value.toNumber();
}
