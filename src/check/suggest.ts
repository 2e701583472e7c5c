import type { PhrasebookEntry } from "./phrasebook.js";

/** Edit distance between two words (insertions, deletions, substitutions, swaps). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) => Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)));
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      table[row][column] = Math.min(table[row - 1][column] + 1, table[row][column - 1] + 1, table[row - 1][column - 1] + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        table[row][column] = Math.min(table[row][column], table[row - 2][column - 2] + 1);
      }
    }
  }
  return table[a.length][b.length];
}

function closeEnough(a: string, b: string): boolean {
  return editDistance(a, b) <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 3));
}

/**
 * Procedures the writer may have meant: those whose fixed words are close to the sentence's
 * words. A sentence's words are compared one by one with the pattern's fixed words.
 */
export function suggestProcedures(sentenceWords: string[], entries: readonly PhrasebookEntry[], limit = 3): PhrasebookEntry[] {
  const scored: Array<{ entry: PhrasebookEntry; score: number }> = [];
  for (const entry of entries) {
    const fixed = entry.parts.flatMap((part) => (part.kind === "word" ? [part.word] : []));
    if (fixed.length === 0) continue;
    let matched = 0;
    let distance = 0;
    for (const word of fixed) {
      const best = Math.min(...sentenceWords.map((candidate) => editDistance(word, candidate)), word.length);
      if (sentenceWords.some((candidate) => closeEnough(word, candidate))) matched++;
      distance += best;
    }
    const firstMatches = sentenceWords[0] !== undefined && closeEnough(fixed[0], sentenceWords[0]);
    if (matched === 0 || (!firstMatches && matched < fixed.length)) continue;
    scored.push({ entry, score: distance - matched * 2 - (firstMatches ? 3 : 0) });
  }
  return scored.sort((a, b) => a.score - b.score).slice(0, limit).map((item) => item.entry);
}

/** The closest names among those allowed, for "did you mean the delimiter?". */
export function suggestNames(name: string, allowed: readonly string[]): string[] {
  return allowed.filter((candidate) => closeEnough(name, candidate)).sort((a, b) => editDistance(name, a) - editDistance(name, b));
}
