import type { Decimal } from "./decimal.js";
import { Fact, type Value } from "./values.js";
import { checkTextLength, valueTooDeep } from "./limit-exceeded.js";
import { originalKey } from "./original-keys.js";
import { VALUE_NESTING } from "../syntax/limits.js";

const MAX_SHOWN_DECIMALS = 10;

/** How a value reads in `say` and in `{…}` inside a text. */
export function display(value: Value): string {
  return showValue(value, 0);
}

/** A fact reads as its value; a record (attributes only) as `name: value` pairs. */
export function displayFact(fact: Fact): string {
  return showFact(fact, 0);
}

/** `depth`: how many lists and records hold this value, so that a value too deep (or holding itself) is an English error, not a stack overflow. */
function showValue(value: Value, depth: number): string {
  if (depth > VALUE_NESTING.most) throw valueTooDeep();
  switch (value.kind) {
    case "text": return value.text;
    case "number": return displayNumber(value.value, value.unit);
    case "boolean": return value.value ? "yes" : "no";
    case "date": return value.time ? `${value.date} ${value.time.slice(0, 5)}` : value.date;
    case "list": return joinEnglish(value.items.map((item) => showFact(item, depth + 1)));
    case "nothing": return "nothing";
    case "document": return value.name;
    case "secret": return "[secret]";
  }
}

function showFact(fact: Fact, depth: number): string {
  if (fact.value.kind !== "nothing" || !fact.hasAttributes()) return showValue(fact.value, depth);
  if (depth > VALUE_NESTING.most) throw valueTooDeep();
  return limited([...fact.attributes!.entries()].map(([name, attribute]) => `${name}: ${showFact(attribute, depth + 1)}`)).join(", ");
}

export function joinEnglish(parts: string[]): string {
  limited(parts);
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** Parts whose joined text would not be longer than a text may be (checked before joining them). */
function limited(parts: string[]): string[] {
  let length = 0;
  for (let index = 0; index < parts.length; index++) length += parts[index].length + 2;
  checkTextLength(length);
  return parts;
}

/**
 * From this many digits before the point, a number shows in scientific notation (`1.5e+1200`):
 * written out, a number squared in a loop has a billion digits after thirty rounds.
 */
const MOST_DIGITS_SHOWN = 1000;

export function displayNumber(value: Decimal, unit?: string): string {
  if (value.isFinite() && value.e >= MOST_DIGITS_SHOWN) {
    if (unit === "%") return `${value.times(100).toExponential()}%`;
    return `${value.isNegative() ? "-" : ""}${unit ?? ""}${value.abs().toExponential()}`;
  }
  if (unit === "%") return `${plain(value.times(100))}%`;
  if (unit) {
    const sign = value.isNegative() ? "-" : "";
    const fixed = value.abs().toFixed(2);
    const [whole, fraction] = fixed.split(".");
    return `${sign}${unit}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
  }
  return plain(value);
}

function plain(value: Decimal): string {
  const rounded = value.decimalPlaces() > MAX_SHOWN_DECIMALS ? value.toDecimalPlaces(MAX_SHOWN_DECIMALS) : value;
  const shown = rounded.toFixed();
  return shown === "-0" ? "0" : shown;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What a JSON view of the facts shows instead of a record that holds itself, or a value nested past the limit. */
const shownInstead = {
  itself: "[this record holds itself]",
  tooDeep: `[nested more than ${VALUE_NESTING.most} deep]`,
};

/**
 * A fact as JSON: a fact holding only a value is that value; a fact with attributes is an
 * object of its attributes, plus `"value"` when it also has a value. A record that holds itself
 * (`the node's next is the node`), or a value nested past the limit, is shown as a short text
 * in its place: the facts of a run are always shown, whatever the script made. An empty record
 * (`create an empty json`, `{}` read from a file) is `{}`.
 *
 * `keys`: "original" writes each attribute under the key it was read from (`due_date`, see
 * original-keys.ts), for JSON that goes back to a file or another program; "names" (`--json`,
 * run.json) shows the names the script uses.
 */
export function factToJson(fact: Fact, keys: "names" | "original" = "names", units: "plain" | "kept" = "plain"): Json {
  return factJson(fact, new Set(), 0, { original: keys === "original", unitsKept: units === "kept" });
}

/**
 * How a number with a unit shows when `units` is "kept" (the run's JSON contract,
 * docs/json-contract.md): money as `{"amount": 5, "currency": "USD", "text": "$5.00"}`, a
 * percentage as `{"percent": 20, "text": "20%"}`; `text` is how `say` shows it.
 */
export function unitJson(value: Decimal, unit: "$" | "€" | "£" | "%"): { [key: string]: Json } {
  const text = displayNumber(value, unit);
  if (unit === "%") return { percent: value.times(100).toNumber(), text };
  return { amount: value.toNumber(), currency: currencyCodes[unit], text };
}

const currencyCodes = { $: "USD", "€": "EUR", "£": "GBP" } as const;

interface JsonForm {
  original: boolean;
  unitsKept: boolean;
}

function factJson(fact: Fact, path: Set<Fact>, depth: number, form: JsonForm): Json {
  const original = form.original;
  if (!fact.hasAttributes()) return fact.attributes !== undefined && fact.value.kind === "nothing" ? {} : valueJson(fact.value, path, depth, form);
  if (path.has(fact)) return shownInstead.itself;
  if (depth > VALUE_NESTING.most) return shownInstead.tooDeep;
  path.add(fact);
  const object: { [key: string]: Json } = {};
  if (fact.value.kind !== "nothing") object.value = valueJson(fact.value, path, depth + 1, form);
  for (const [name, attribute] of fact.attributes!) object[original ? originalKey(fact, name) : name] = factJson(attribute, path, depth + 1, form);
  path.delete(fact);
  return object;
}

function valueJson(value: Value, path: Set<Fact>, depth: number, form: JsonForm): Json {
  switch (value.kind) {
    case "text": return value.text;
    case "number": return form.unitsKept && value.unit ? unitJson(value.value, value.unit) : value.value.toNumber();
    case "boolean": return value.value;
    case "date": return value.time ? `${value.date}T${value.time}` : value.date;
    case "list": return depth > VALUE_NESTING.most ? shownInstead.tooDeep : value.items.map((item) => factJson(item, path, depth + 1, form));
    case "nothing": return null;
    case "document": return { document: value.path, name: value.name };
    case "secret": return "[secret]";
  }
}
