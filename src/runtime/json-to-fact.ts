import { boolean, Fact, list, NOTHING, number, text } from "./values.js";

/** JSON → facts: objects become records (attributes), arrays lists, null nothing. */
export function jsonToFact(json: unknown): Fact {
  if (json === null || json === undefined) return new Fact(NOTHING);
  if (typeof json === "string") return new Fact(text(json));
  if (typeof json === "number") return new Fact(number(String(json)));
  if (typeof json === "boolean") return new Fact(boolean(json));
  if (Array.isArray(json)) return new Fact(list(json.map(jsonToFact)));
  const record = new Fact();
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    record.setAttribute(attributeName(key), jsonToFact(value));
  }
  return record;
}

/** A JSON key or a CSV column as an attribute name: lower-cased, `_` read as a space (`Due_Date` → `due date`). */
export function attributeName(key: string): string {
  return key.toLowerCase().replace(/[_\s]+/g, " ").trim();
}
