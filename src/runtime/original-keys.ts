import type { Fact } from "./values.js";

/**
 * The key each attribute of a record was read from, when it differs from the attribute's name
 * (`due_date` read as `due date`, a CSV column `Amount` as `amount`): written back as it was read
 * (a `.json` or `.csv` file, `get … as a string`). Kept beside the records, not in them, so an
 * ordinary fact carries nothing and costs nothing; an attribute the script adds has no entry and
 * is written as it is named.
 */
const keysOf = new WeakMap<Fact, Map<string, string>>();

export function rememberKey(record: Fact, name: string, key: string): void {
  if (name === key) return;
  let keys = keysOf.get(record);
  if (keys === undefined) keysOf.set(record, (keys = new Map()));
  keys.set(name, key);
}

/** The key to write an attribute under: the one it was read from, or its name. */
export function originalKey(record: Fact, name: string): string {
  return keysOf.get(record)?.get(name) ?? name;
}

/** A copy of a record keeps the keys its attributes were read from. */
export function carryKeys(from: Fact, to: Fact): void {
  const keys = keysOf.get(from);
  if (keys !== undefined) keysOf.set(to, new Map(keys));
}
