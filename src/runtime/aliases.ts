import type { Fact } from "./values.js";

/**
 * Facts that have more than one name through `use X as the Y` (LANGUAGE.md §10.1). Assigning a
 * value to either name changes the one fact instead of giving the name a new one, so the other
 * name sees it too (src/runtime/references.ts).
 */
const aliased = new WeakSet<Fact>();

export function markAliased(fact: Fact): void {
  aliased.add(fact);
}

export function isAliased(fact: Fact): boolean {
  return aliased.has(fact);
}
