import type { PatternPart, ProcedureDefinition } from "../syntax/ast.js";
import { formatLocation } from "../syntax/span.js";
import type { ProcedureSignature } from "./procedure-signature.js";
import { isArticle, withoutOptionalArticles } from "./articles.js";
import { definitionPattern } from "./procedure-pattern.js";

/** One way of saying a procedure: `translate {text} to {language}`. */
export interface PhrasebookEntry {
  parts: PatternPart[];
  patternText: string;
  /** How many fixed words: the most specific match wins. */
  fixedWords: number;
  /** The default result name; a user procedure's is `result`. */
  resultName?: string;
  description: string;
  /** Accepted block lines; undefined means any fact line (user procedures). */
  blockLines?: string[];
  changesInPlace?: string;
  /** A procedure the caller handed in (the standard library's, or `prose test`'s own). */
  standard?: ProcedureSignature;
  definition?: ProcedureDefinition;
  /** Where it was defined, for "did you mean" ("invoice.prose:3", or "standard library"). */
  origin: string;
}

/** `read the file {path}` → fixed words and slots, with optional articles left out (see `withoutOptionalArticles`). */
export function parsePattern(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  for (const piece of pattern.trim().split(/\s+/)) {
    const slot = /^\{(.+)\}$/.exec(piece);
    if (slot) parts.push({ kind: "slot", name: slot[1].toLowerCase() });
    else parts.push({ kind: "word", word: piece.toLowerCase() });
  }
  return withoutOptionalArticles(parts);
}

export function standardEntry(procedure: ProcedureSignature): PhrasebookEntry {
  const parts = parsePattern(procedure.pattern);
  return {
    parts,
    patternText: procedure.pattern,
    fixedWords: parts.filter((part) => part.kind === "word").length,
    resultName: procedure.resultName,
    description: procedure.description,
    blockLines: procedure.anyBlockLines ? undefined : procedure.blockLines,
    changesInPlace: procedure.changesInPlace,
    standard: procedure,
    origin: "standard library",
  };
}

export function definitionEntry(definition: ProcedureDefinition): PhrasebookEntry {
  const pattern = definitionPattern(definition);
  return {
    parts: pattern.parts,
    patternText: pattern.text,
    fixedWords: pattern.parts.filter((part) => part.kind === "word").length,
    resultName: "result",
    description: `Defined at ${formatLocation(definition.span)}.`,
    definition,
    origin: formatLocation(definition.span),
  };
}

/** The procedures a script can call, indexed by their first fixed word for quick matching. */
export class Phrasebook {
  readonly entries: PhrasebookEntry[] = [];
  private readonly byFirstWord = new Map<string, PhrasebookEntry[]>();
  /** The script's own procedures by pattern: a file may define 50,000 of them. */
  private readonly definitions = new Map<string, PhrasebookEntry>();

  add(entry: PhrasebookEntry): PhrasebookEntry | undefined {
    const duplicate = this.definitions.get(entry.patternText);
    if (duplicate) return duplicate;
    if (entry.definition) this.definitions.set(entry.patternText, entry);
    this.entries.push(entry);
    const first = entry.parts[0];
    const key = first.kind === "word" ? first.word : "";
    const list = this.byFirstWord.get(key) ?? [];
    list.push(entry);
    this.byFirstWord.set(key, list);
    return undefined;
  }

  /** Entries that could match a sentence starting with this word (and those starting with a slot). */
  candidates(firstWord: string, secondWord?: string): PhrasebookEntry[] {
    const found = [...(this.byFirstWord.get(firstWord) ?? []), ...(this.byFirstWord.get("") ?? [])];
    if (isArticle(firstWord) && secondWord) found.push(...(this.byFirstWord.get(secondWord) ?? []));
    return found;
  }
}
