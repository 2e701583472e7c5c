import { pluralOf } from "../syntax/plurals.js";
import { editDistance } from "./suggest.js";

/**
 * How far apart two names may be and still be "close": a quarter of the longer one's letters
 * (`invoice totl` / `invoice total`: 1 of 13), and at least one; names of three letters or fewer
 * are never close to another (`age`/`ago`, `tax`/`tip` are different words, not typos).
 */
export function allowedNameDistance(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer <= 3 ? 0 : Math.max(1, Math.floor(longer / 4));
}

/** One name compared with at most this many candidates of each key: the search stays linear in the script. */
const CANDIDATES_PER_KEY = 64;
/** Names longer than this are compared only by their words: a typo is in a short name. */
const LETTERS_COMPARED = 60;

/**
 * Names looked up by closeness without comparing every pair: each name is filed under its words
 * (`invoice`, `total`) and under its first and last letters with its length. A name with a typo
 * in one word shares its other words; a one-word name keeps its first or its last letter. Each
 * key is read for at most `CANDIDATES_PER_KEY` names, so a script of 100,000 names costs a
 * bounded number of comparisons per name.
 */
export class CloseNames {
  private readonly byKey = new Map<string, string[]>();

  constructor(names: Iterable<string>) {
    for (const name of names) for (const key of keysOf(name, name.length)) this.file(key, name);
  }

  private file(key: string, name: string): void {
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [name]);
    else if (list.length < CANDIDATES_PER_KEY) list.push(name);
  }

  /** The closest name to this one, if any is close: never the name itself, nor its plural or singular. */
  closest(name: string): string | undefined {
    if (name.length > LETTERS_COMPARED) return undefined;
    let best: string | undefined;
    let bestDistance = Infinity;
    const seen = new Set<string>();
    const spread = Math.max(1, Math.floor((name.length + 1) / 3));
    const keys = new Set<string>();
    for (let length = name.length - spread; length <= name.length + spread; length++) for (const key of keysOf(name, length)) keys.add(key);
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (list === undefined) continue;
      for (let index = 0; index < list.length && index < CANDIDATES_PER_KEY; index++) {
        const candidate = list[index];
        if (seen.has(candidate) || candidate === name) continue;
        seen.add(candidate);
        if (pluralOf(candidate) === name || pluralOf(name) === candidate) continue;
        const allowed = allowedNameDistance(name, candidate);
        if (Math.abs(candidate.length - name.length) > allowed) continue;
        const distance = editDistance(name, candidate);
        if (distance <= allowed && (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best))) {
          best = candidate;
          bestDistance = distance;
        }
      }
    }
    return best;
  }
}

/** The keys a name of this length is filed under: its words when it has several, its ends with the length. */
function keysOf(name: string, length: number): string[] {
  const keys = [`f${length}:${name[0]}`, `l${length}:${name[name.length - 1]}`];
  const words = name.split(" ");
  if (words.length > 1) for (const word of words) keys.push(`w${words.length}:${word}`);
  return keys;
}
