import { VALUE_NESTING } from "../syntax/limits.js";
import { valueTooDeep } from "./limit-exceeded.js";
import { boolean, Fact, list, NOTHING, number, text } from "./values.js";

/**
 * JSON → facts: objects become records (attributes), arrays lists, null nothing. Nested deeper
 * than values may be (1,000 levels), it is a `LimitExceeded`, never a stack overflow.
 */
export function jsonToFact(json: unknown, depth = 0): Fact {
  if (depth > VALUE_NESTING.most) throw valueTooDeep();
  if (json === null || json === undefined) return new Fact(NOTHING);
  if (typeof json === "string") return new Fact(text(json));
  if (typeof json === "number") return new Fact(number(String(json)));
  if (typeof json === "boolean") return new Fact(boolean(json));
  if (Array.isArray(json)) return new Fact(list(json.map((item) => jsonToFact(item, depth + 1))));
  const record = new Fact();
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    record.setAttribute(attributeName(key), jsonToFact(value, depth + 1));
  }
  return record;
}

/** A JSON key or a CSV column as an attribute name: lower-cased, `_` read as a space (`Due_Date` → `due date`). */
export function attributeName(key: string): string {
  return key.toLowerCase().replace(/[_\s]+/g, " ").trim();
}
