import { jsonToFact } from "./json-to-fact.js";
import { boolean, Fact, NOTHING, numberFromText, text } from "./values.js";

/**
 * An answer or an input given as text reads as what a person means: "1,200" is a number,
 * "yes" is yes, "nothing" is nothing; anything else stays text. JSON answers keep their types.
 */
export function answerToFact(value: unknown): Fact {
  if (typeof value !== "string") return jsonToFact(value);
  const trimmed = value.trim();
  const lower = trimmed.toLowerCase();
  if (lower === "yes" || lower === "true") return new Fact(boolean(true));
  if (lower === "no" || lower === "false") return new Fact(boolean(false));
  if (lower === "nothing") return new Fact(NOTHING);
  const found = numberFromText(trimmed);
  if (found) return new Fact(found);
  return new Fact(text(value));
}
