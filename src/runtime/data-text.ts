import { factToJson } from "./display.js";
import type { Fact } from "./values.js";

/**
 * Data — a record, or a list holding records or lists (what a .json or .csv file opens as) — as
 * the JSON text a model is given: its structure is kept, where `say` would show `name: value, …`.
 * Keys are written as they were read (`due_date`), see original-keys.ts.
 */
export function isData(fact: Fact): boolean {
  if (fact.hasAttributes()) return true;
  if (fact.attributes !== undefined && fact.value.kind === "nothing") return true; // an empty record
  return fact.value.kind === "list" && fact.value.items.some((item) => item.hasAttributes() || item.value.kind === "list");
}

export function dataAsJsonText(fact: Fact): string {
  return JSON.stringify(factToJson(fact, "original"), null, 2);
}
