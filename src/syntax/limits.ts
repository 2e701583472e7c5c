/**
 * The limits a script meets, in one place, each with the English name messages use. Nesting is
 * limited because reading, checking and running a nested construct goes one level deeper in the
 * interpreter per level; long flat constructs (a list of 70,000 items, a line of 30,000 `+`
 * terms, a file of 100,000 lines) are not limited: they cost time in proportion to their length.
 */
export interface Limit {
  /** The largest amount allowed. */
  readonly most: number;
  /** What is counted, in the plural: "parentheses", "characters". */
  readonly unit: string;
}

/** Parentheses, and `-` or `not` written before a value, open within one another in one expression. */
export const EXPRESSION_NESTING: Limit = { most: 100, unit: "parentheses" };

/** Blocks indented within one another (`if`, loops, procedure bodies, call blocks). */
export const BLOCK_NESTING: Limit = { most: 100, unit: "blocks" };

/**
 * The length of a text, in characters (UTF-16 code units, as JavaScript counts them): far more
 * than any document a script handles, well under what the JavaScript engine can hold
 * (about 536 million) and what its memory allows for a few such texts at once.
 */
export const TEXT_LENGTH: Limit = { most: 100_000_000, unit: "characters" };

/**
 * The items of one list, and the lists and records held within one another in one value:
 * values past these cannot be shown, copied or compared in reasonable time and memory.
 */
export const LIST_ITEMS: Limit = { most: 10_000_000, unit: "items" };
export const VALUE_NESTING: Limit = { most: 1_000, unit: "levels" };

/** `100000000` → "100,000,000". */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
