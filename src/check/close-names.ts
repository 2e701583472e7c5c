import { pluralOf } from "../syntax/plurals.js";
import { editDistance } from "./suggest.js";

/**
 * How far apart two words may be and still be one word mistyped: a quarter of the longer one's
 * letters (`totl`/`total`, `adress`/`address`), and at least one; words of three letters or fewer
 * never are (`tax`/`tip`, `age`/`ago` are other words, not typos).
 */
export function allowedWordDistance(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer <= 3 ? 0 : Math.max(1, Math.floor(longer / 4));
}

/**
 * The distance between two names when one reads as the other mistyped, otherwise undefined:
 * the same words but for typos within words (`the invoice totl` / `the invoice total`, but not
 * `the central pages` / `the central codes`), or the same letters with a space more or less
 * (`the invoicetotal`).
 */
export function typoDistance(a: string, b: string): number | undefined {
  const wordsOfA = a.split(" ");
  const wordsOfB = b.split(" ");
  if (wordsOfA.length !== wordsOfB.length) return a.replaceAll(" ", "") === b.replaceAll(" ", "") ? 1 : undefined;
  let total = 0;
  for (let index = 0; index < wordsOfA.length; index++) {
    const [wordOfA, wordOfB] = [wordsOfA[index], wordsOfB[index]];
    if (wordOfA === wordOfB) continue;
    const allowed = allowedWordDistance(wordOfA, wordOfB);
    if (Math.abs(wordOfA.length - wordOfB.length) > allowed) return undefined;
    const distance = editDistance(wordOfA, wordOfB);
    if (distance > allowed) return undefined;
    total += distance;
  }
  return total;
}

/** One name compared with at most this many candidates of each key: the search stays linear in the script. */
const CANDIDATES_PER_KEY = 64;
/** One name is compared with at most this many others in all. */
const COMPARISONS_PER_NAME = 64;
/** Names longer than this are compared only by their words: a typo is in a short name. */
const LETTERS_COMPARED = 60;

/**
 * Names looked up by closeness without comparing every pair: each name is filed under its words
 * (`invoice`, `total`) and under its first and last letters with its length. A name with a typo
 * in one word shares its other words; a one-word name keeps its first or its last letter. Each
 * key holds at most `CANDIDATES_PER_KEY` names and a lookup compares at most
 * `COMPARISONS_PER_NAME`, so a script of 100,000 names costs a bounded number of comparisons per
 * name. The price: among thousands of names alike in every key, a close one may be missed (and
 * the read stays silent, as one close to nothing does).
 */
export class CloseNames {
  private readonly byKey = new Map<string, string[]>();

  constructor(names: Iterable<string>) {
    for (const name of names) for (const key of keysOf(name)) this.file(key, name);
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
    let budget = COMPARISONS_PER_NAME;
    const spread = lengthSpread(name);
    const seen = new Set<string>();
    for (const key of lookupKeys(name)) {
      const list = this.byKey.get(key);
      if (list === undefined) continue;
      for (const candidate of list) {
        if (budget-- === 0) return best;
        if (candidate === name || seen.has(candidate)) continue;
        seen.add(candidate);
        if (Math.abs(candidate.length - name.length) > spread) continue;
        const distance = typoDistance(name, candidate);
        if (distance === undefined || distance > bestDistance || (distance === bestDistance && best !== undefined && candidate > best)) continue;
        if (pluralOf(candidate) === name || pluralOf(name) === candidate) continue;
        best = candidate;
        bestDistance = distance;
        // One letter off is as close as another name gets.
        if (distance === 1) return best;
      }
    }
    return best;
  }
}

/** How much longer or shorter a mistyped name may be. */
function lengthSpread(name: string): number {
  return Math.max(1, Math.floor(name.length / 4));
}

/** Where to look, most telling first: the name's words, then its ends at its own length, then at lengths further off. */
function* lookupKeys(name: string): Generator<string> {
  const words = name.split(" ");
  if (words.length > 1) for (const word of words) yield `w${words.length}:${word}`;
  const spread = lengthSpread(name);
  for (let offset = 0; offset <= spread; offset++) {
    for (const length of offset === 0 ? [name.length] : [name.length - offset, name.length + offset]) {
      yield `f${length}:${name[0]}`;
      yield `l${length}:${name[name.length - 1]}`;
    }
  }
}

/** The keys a name is filed under: its words when it has several, its first and last letters with its length. */
function keysOf(name: string): string[] {
  const keys = [`f${name.length}:${name[0]}`, `l${name.length}:${name[name.length - 1]}`];
  const words = name.split(" ");
  if (words.length > 1) for (const word of words) keys.push(`w${words.length}:${word}`);
  return keys;
}
