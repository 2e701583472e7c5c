import type { PhrasebookEntry } from "./phrasebook.js";

/** Three rows of the distance table, reused by every call: a file of 40,000 unknown calls compares millions of words. */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Edit distance between two words (insertions, deletions, substitutions, swaps). */
export function editDistance(a: string, b: string): number {
  const columns = b.length + 1;
  if (rows[0].length < columns) rows = [new Int32Array(columns * 2), new Int32Array(columns * 2), new Int32Array(columns * 2)];
  let [beforePrevious, previous, current] = rows;
  for (let column = 0; column < columns; column++) previous[column] = column;
  for (let row = 1; row <= a.length; row++) {
    current[0] = row;
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let best = Math.min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) best = Math.min(best, beforePrevious[column - 2] + 1);
      current[column] = best;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length];
}

/** Words of a sentence compared with procedures' words: the first ones say what the line is meant to do. */
const WORDS_COMPARED = 12;
const LETTERS_COMPARED = 40;

function closeEnough(a: string, b: string): boolean {
  return editDistance(a, b) <= allowedDistance(a, b);
}

function allowedDistance(a: string, b: string): number {
  return Math.max(1, Math.floor(Math.max(a.length, b.length) / 3));
}

/**
 * Procedures the writer may have meant: those whose fixed words are close to the sentence's
 * words. A sentence's words are compared one by one with the pattern's fixed words.
 */
export function suggestProcedures(sentenceWords: string[], entries: readonly PhrasebookEntry[], limit = 3): PhrasebookEntry[] {
  const scored: Array<{ entry: PhrasebookEntry; score: number }> = [];
  // A procedure's words are short: comparing a word thousands of letters long costs far more and suggests nothing.
  const compared = sentenceWords.slice(0, WORDS_COMPARED).map((word) => word.slice(0, LETTERS_COMPARED));
  for (const entry of entries) {
    const fixed = entry.parts.flatMap((part) => (part.kind === "word" ? [part.word] : []));
    if (fixed.length === 0) continue;
    let matched = 0;
    let distance = 0;
    for (const word of fixed) {
      let best = word.length;
      let close = false;
      for (const candidate of compared) {
        const found = editDistance(word, candidate);
        best = Math.min(best, found);
        close ||= found <= allowedDistance(word, candidate);
      }
      if (close) matched++;
      distance += best;
    }
    const firstMatches = compared[0] !== undefined && closeEnough(fixed[0], compared[0]);
    if (matched === 0 || (!firstMatches && matched < fixed.length)) continue;
    scored.push({ entry, score: distance - matched * 2 - (firstMatches ? 3 : 0) });
  }
  return scored.sort((a, b) => a.score - b.score).slice(0, limit).map((item) => item.entry);
}

/** The closest names among those allowed, for "did you mean the delimiter?". */
export function suggestNames(name: string, allowed: readonly string[]): string[] {
  return allowed.filter((candidate) => closeEnough(name, candidate)).sort((a, b) => editDistance(name, a) - editDistance(name, b));
}
