import { parseScript } from "../../syntax/parse-script.js";

/** Endings that say "a block follows" on any line (they are optional in a script). */
const openingEnding = /(?::|\bwhere|\bwith|\bas follows|\bthen)\s*$/i;

/**
 * Whether what has been typed so far opens a block, so the REPL keeps reading lines until a
 * blank one: a `to …`, `if`, loop or `validate` line without its block yet, or any line ending
 * with `:`, `where`, `with`, `as follows` or `then` (a call's parameter block, `ask`'s choices).
 */
export function opensBlock(text: string): boolean {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const last = lines[lines.length - 1];
  if (last === undefined) return false;
  if (openingEnding.test(last.replace(/#.*$/, ""))) return true;
  // A line whose block is still to come is one the parser reports as having no block under it.
  return parseScript(`${text}\n`, "input").diagnostics.some((diagnostic) => diagnostic.code === "block-expected");
}
