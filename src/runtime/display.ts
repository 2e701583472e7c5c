import type { Decimal } from "./decimal.js";
import { Fact, type Value } from "./values.js";

const MAX_SHOWN_DECIMALS = 10;

/** How a value reads in `say` and in `{…}` inside a text. */
export function display(value: Value): string {
  switch (value.kind) {
    case "text": return value.text;
    case "number": return displayNumber(value.value, value.unit);
    case "boolean": return value.value ? "yes" : "no";
    case "date": return value.time ? `${value.date} ${value.time.slice(0, 5)}` : value.date;
    case "list": return joinEnglish(value.items.map(displayFact));
    case "nothing": return "nothing";
    case "document": return value.name;
  }
}

/** A fact reads as its value; a record (attributes only) as `name: value` pairs. */
export function displayFact(fact: Fact): string {
  if (fact.value.kind !== "nothing" || !fact.hasAttributes()) return display(fact.value);
  return [...fact.attributes!.entries()].map(([name, attribute]) => `${name}: ${displayFact(attribute)}`).join(", ");
}

export function joinEnglish(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

export function displayNumber(value: Decimal, unit?: string): string {
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

/**
 * A fact as JSON: a fact holding only a value is that value; a fact with attributes is an
 * object of its attributes, plus `"value"` when it also has a value.
 */
export function factToJson(fact: Fact): Json {
  if (!fact.hasAttributes()) return valueToJson(fact.value);
  const object: { [key: string]: Json } = {};
  if (fact.value.kind !== "nothing") object.value = valueToJson(fact.value);
  for (const [name, attribute] of fact.attributes!) object[name] = factToJson(attribute);
  return object;
}

export function valueToJson(value: Value): Json {
  switch (value.kind) {
    case "text": return value.text;
    case "number": return value.value.toNumber();
    case "boolean": return value.value;
    case "date": return value.time ? `${value.date}T${value.time}` : value.date;
    case "list": return value.items.map(factToJson);
    case "nothing": return null;
    case "document": return { document: value.path, name: value.name };
  }
}
