import { factToJson } from "./display.js";
import type { Fact } from "./values.js";

/**
 * Data — a record, or a list holding records or lists (what a .json or .csv file opens as) — as
 * the JSON text a model is given: its structure is kept, where `say` would show `name: value, …`.
 * A model is given the names the script uses (`due date`); a file is written with the keys as
 * they were read (`due_date`, "original"; see original-keys.ts).
 */
export function isData(fact: Fact): boolean {
  if (fact.hasAttributes()) return true;
  if (fact.attributes !== undefined && fact.value.kind === "nothing") return true; // an empty record
  return fact.value.kind === "list" && fact.value.items.some((item) => item.hasAttributes() || item.value.kind === "list");
}

export function dataAsJsonText(fact: Fact, keys: "names" | "original" = "names"): string {
  return JSON.stringify(factToJson(fact, keys), null, 2);
}
