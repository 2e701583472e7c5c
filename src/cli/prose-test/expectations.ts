import { searchableText, valuesEqual } from "../../runtime/compare.js";
import { displayFact, factToJson } from "../../runtime/display.js";
import type { Fact } from "../../runtime/values.js";

/** `expect X to be Y`: Prose's `is` (case and surrounding space ignored in texts); records compare attribute by attribute. */
export function factsEqual(actual: Fact, expected: Fact): boolean {
  if (actual.hasAttributes() || expected.hasAttributes()) return JSON.stringify(factToJson(actual)) === JSON.stringify(factToJson(expected));
  return valuesEqual(actual.value, expected.value);
}

/** `expect X to contain Y`: an equal item of a list, or the text (case ignored) in a text or document. */
export function factContains(actual: Fact, expected: Fact): boolean {
  if (actual.value.kind === "list") return actual.value.items.some((item) => factsEqual(item, expected));
  return searchableText(actual.value).toLowerCase().includes(searchableText(expected.value).toLowerCase());
}

/** A value as a failure shows it: texts in quotes, so `"1200"` and `1200` and `""` read apart. */
export function describeFact(fact: Fact): string {
  if (fact.value.kind === "text") return JSON.stringify(fact.value.text);
  if (fact.value.kind === "list") return `[${fact.value.items.map(describeFact).join(", ")}]`;
  return displayFact(fact);
}
