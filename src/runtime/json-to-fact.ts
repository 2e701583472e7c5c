import { VALUE_NESTING } from "../syntax/limits.js";
import { valueTooDeep } from "./limit-exceeded.js";
import { boolean, Fact, list, NOTHING, number, text } from "./values.js";
import { rememberKey } from "./original-keys.js";

/**
 * JSON → facts: objects become records (attributes), arrays lists, null nothing. Each record
 * remembers the keys its attributes were read from (`due_date`), to write them back so. Nested deeper
 * than values may be (1,000 levels), it is a `LimitExceeded`, never a stack overflow.
 */
export function jsonToFact(json: unknown, depth = 0): Fact {
  if (depth > VALUE_NESTING.most) throw valueTooDeep();
  if (json === null || json === undefined) return new Fact(NOTHING);
  if (typeof json === "string") return new Fact(text(json));
  if (typeof json === "number") return new Fact(number(String(json)));
  if (typeof json === "boolean") return new Fact(boolean(json));
  if (Array.isArray(json)) return new Fact(list(json.map((item) => jsonToFact(item, depth + 1))));
  // An empty object is still a record (written back as `{}`, not `null`).
  const record = new Fact(NOTHING, new Map());
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const name = attributeName(key);
    record.setAttribute(name, jsonToFact(value, depth + 1));
    rememberKey(record, name, key);
  }
  return record;
}

/** A JSON key or a CSV column as an attribute name: lower-cased, `_` read as a space (`Due_Date` → `due date`). */
export function attributeName(key: string): string {
  return key.toLowerCase().replace(/[_\s]+/g, " ").trim();
}
