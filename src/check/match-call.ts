import type { IToken } from "chevrotain";
import type { Expression } from "../syntax/ast.js";
import type { Diagnostic } from "../syntax/diagnostic.js";
import { parseArgument, type ParsedArgument } from "../syntax/parse-argument.js";
import type { PhrasebookEntry } from "./phrasebook.js";
import { isArticle } from "./articles.js";
import { tokenSpan } from "../syntax/cst-helpers.js";

/** A call matched to its procedure, with each slot's argument expression. */
export interface CallMatch {
  entry: PhrasebookEntry;
  arguments: Map<string, Expression>;
  /** Problems inside the arguments (a broken `{…}` in a text). */
  diagnostics: Diagnostic[];
}

/**
 * A sentence may be split into its slots in many ways (`combine {x} and {y} and {z}` against a
 * line of 400 `and`s), and each way parses its pieces: the tokens parsed while matching one
 * sentence are limited to this many per word of the sentence, so matching stays linear. A
 * sentence that needs more is reported as one to write more plainly (see `matchingWasCut`).
 */
const TOKENS_READ_PER_WORD = 64;
const budgets = new WeakMap<ParsedArguments, { left: number; cut: boolean }>();

/** Whether matching a sentence (with these parsed arguments) stopped trying for lack of budget. */
export function matchingWasCut(parsedRanges: ParsedArguments): boolean {
  return budgets.get(parsedRanges)?.cut === true;
}

/**
 * The arguments parsed so far from one call sentence's tokens, by token range. Matching the
 * sentence against several patterns with one of these parses each range once, not once per
 * pattern.
 */
export type ParsedArguments = Map<string, ParsedArgument | undefined>;

/**
 * Matches a call sentence's tokens against one pattern. Fixed words match case-insensitively,
 * an article before a fixed word may be left out or written, and a slot takes a run of tokens
 * that reads as one expression (or a list). Slot boundaries are tried shortest first.
 */
export function matchCall(words: readonly IToken[], entry: PhrasebookEntry, file: string, parsedRanges: ParsedArguments = new Map()): CallMatch | undefined {
  let budget = budgets.get(parsedRanges);
  if (!budget) budgets.set(parsedRanges, (budget = { left: TOKENS_READ_PER_WORD * (words.length + 16), cut: false }));
  const argumentAt = (start: number, end: number) => {
    const key = `${start}:${end}`;
    if (!parsedRanges.has(key)) {
      if (budget.left < end - start) {
        budget.cut = true;
        return undefined;
      }
      budget.left -= end - start;
      parsedRanges.set(key, parseArgument(words.slice(start, end), file));
    }
    return parsedRanges.get(key);
  };
  const slots = new Map<string, ParsedArgument>();
  const parts = entry.parts;
  // Where the rest of the pattern could not match: each place is tried once, not once per way of getting there.
  const failed = new Set<number>();

  const match = (partIndex: number, tokenIndex: number): boolean => {
    const place = partIndex * (words.length + 1) + tokenIndex;
    if (failed.has(place)) return false;
    if (matchFrom(partIndex, tokenIndex)) return true;
    failed.add(place);
    return false;
  };

  const matchFrom = (partIndex: number, tokenIndex: number): boolean => {
    if (partIndex === parts.length) return tokenIndex === words.length;
    const part = parts[partIndex];
    if (part.kind === "word") {
      const word = lower(words[tokenIndex]);
      if (word === part.word) return match(partIndex + 1, tokenIndex + 1);
      if (isArticle(word) && lower(words[tokenIndex + 1]) === part.word) return match(partIndex + 1, tokenIndex + 2);
      return false;
    }
    const last = partIndex === parts.length - 1;
    for (let end = last ? words.length : tokenIndex + 1; end <= words.length; end++) {
      if (!last && !couldStart(parts[partIndex + 1], end)) continue;
      const parsed = argumentAt(tokenIndex, end) ?? (part.name === entry.standard?.nameSlot ? bareName(words.slice(tokenIndex, end), file) : undefined);
      if (!parsed) continue;
      slots.set(part.name, parsed);
      if (match(partIndex + 1, end)) return true;
      slots.delete(part.name);
    }
    return false;
  };

  const couldStart = (next: (typeof parts)[number], index: number): boolean => {
    if (next.kind === "slot") return index < words.length;
    const word = lower(words[index]);
    return word === next.word || (isArticle(word) && lower(words[index + 1]) === next.word);
  };

  if (!match(0, 0)) return undefined;
  const argumentsBySlot = new Map<string, Expression>();
  const diagnostics: Diagnostic[] = [];
  for (const [name, parsed] of slots) {
    argumentsBySlot.set(name, name === entry.standard?.nameSlot ? asWrittenName(parsed.expression) : parsed.expression);
    diagnostics.push(...parsed.diagnostics);
  }
  return { entry, arguments: argumentsBySlot, diagnostics };
}

/** Words written without `the` in a procedure's name slot (`by amount`, `by due date`): the text of those words. */
function bareName(tokens: readonly IToken[], file: string): ParsedArgument | undefined {
  if (tokens.length === 0 || !tokens.every((token) => /^[\p{L}_][\p{L}\p{N}_-]*$/u.test(token.image))) return undefined;
  const span = tokenSpan(file, tokens[0], tokens[tokens.length - 1]);
  return { expression: { kind: "text", parts: [tokens.map((token) => token.image.toLowerCase()).join(" ")], span }, diagnostics: [] };
}

/** A plain name in a procedure's name slot (`by amount`, `by the due date`) → the text of its words. */
function asWrittenName(expression: Expression): Expression {
  if (expression.kind !== "reference" || expression.reference.segments.length !== 1) return expression;
  return { kind: "text", parts: [expression.reference.segments[0].name], span: expression.span };
}

function lower(token: IToken | undefined): string | undefined {
  return token?.image.toLowerCase();
}
