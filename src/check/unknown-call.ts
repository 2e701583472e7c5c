import type { IToken } from "chevrotain";
import { Word } from "../../grammar/tokens.js";
import type { CallStatement } from "../syntax/ast.js";
import { error, type Diagnostic } from "../syntax/diagnostic.js";
import { isArticle } from "./articles.js";
import type { PhrasebookEntry } from "./phrasebook.js";
import { editDistance, suggestProcedures } from "./suggest.js";

/**
 * The problem of a line that matches no procedure. A line that reads like it sets a fact but
 * whose left side is not a name (`age is 21`, `john's age is 21`, `total = 5`) is told how to
 * write it (`the age is 21`); any other line gets the procedures it may have meant, but only
 * those whose fixed words share enough with the line: `join {list}` is no answer to
 * `john's age is 21` because one word of four looks like `join`.
 */
export function unknownCallProblem(call: CallStatement, entries: readonly PhrasebookEntry[]): Diagnostic {
  const words = call.words.map((word) => word.image.toLowerCase());
  const significant = significantWords(call.words);
  const suggestions = suggestProcedures(words, entries).filter((entry) => sharesEnough(entry, significant)).map((entry) => `did you mean: ${entry.patternText} (${entry.origin})`);
  const assignment = assignmentLike(call.words);
  if (assignment) {
    return error("name-without-the", call.span, `This line reads like it sets a fact, but "${assignment.left}" is not a name: a fact's name starts with "the".`, [
      `fix: write it as \`the ${assignment.name} ${assignment.verb} ${assignment.right}\`.`,
      // `mark invoice is paid` may still be a call of `mark {invoice} as paid`.
      ...suggestions,
    ]);
  }
  const notes = suggestions.length > 0 ? suggestions : ["fix: check the words of the line, or define the procedure with a `to …` line."];
  return error("unknown-call", call.span, `I don't know how to "${call.text}".`, notes);
}

const isWord = (token: IToken) => token.tokenType === Word || (token.tokenType.CATEGORIES ?? []).includes(Word);
const isPossessive = (token: IToken) => token.tokenType.name === "Possessive";
const ASSIGNING = new Set(["Is", "Are", "EqualSign"]);
const DETERMINERS = new Set(["my", "our", "your", "his", "her", "their", "its", "this", "that", "these", "those"]);

/**
 * `X is Y`, `X's Y are Z`, `X = Y` where X is one to five plain words (and possessives) without
 * an article: the left side and the rest, as they should be written.
 */
function assignmentLike(tokens: readonly IToken[]): { left: string; name: string; verb: string; right: string } | undefined {
  const at = tokens.findIndex((token) => ASSIGNING.has(token.tokenType.name));
  if (at < 1 || at === tokens.length - 1) return undefined;
  const left = tokens.slice(0, at);
  if (!isWord(left[0]) || isArticle(left[0].image.toLowerCase())) return undefined;
  if (left.filter(isWord).length > 5 || !left.every((token) => (isWord(token) && !isArticle(token.image.toLowerCase())) || isPossessive(token))) return undefined;
  const verb = tokens[at].tokenType.name === "Are" ? "are" : "is";
  const written = joined(left);
  // `my vendors are …`: "the" takes the place of a possessive word.
  const name = DETERMINERS.has(left[0].image.toLowerCase()) && left.length > 1 ? joined(left.slice(1)) : written;
  return { left: written, name, verb, right: joined(tokens.slice(at + 1)) };
}

/** Tokens as text: a possessive, a comma or a full stop follows the word before it without a space. */
function joined(tokens: readonly IToken[]): string {
  let text = "";
  for (const token of tokens) {
    const attached = isPossessive(token) || token.image === "," || token.image === ".";
    text += text === "" || attached ? token.image : ` ${token.image}`;
  }
  return text;
}

/**
 * The words of a line that say what it does: not articles, not the words of a `the …` name
 * (which a procedure's input takes), not texts or numbers.
 */
function significantWords(tokens: readonly IToken[]): string[] {
  const words: string[] = [];
  let inName = false;
  for (const [index, token] of tokens.entries()) {
    const image = token.image.toLowerCase();
    // `john's age`: an owner's name, then its attribute, is a name too.
    if (isArticle(image) || isPossessive(token) || (tokens[index + 1] !== undefined && isPossessive(tokens[index + 1]))) {
      inName = true;
      continue;
    }
    if (!isWord(token)) {
      inName = false;
      continue;
    }
    if (!inName) words.push(image.slice(0, 40));
    if (words.length === 12) break;
  }
  return words;
}

/** A third of the line's own words (a line that is only names shares none), at least, must be close to the procedure's fixed words. */
function sharesEnough(entry: PhrasebookEntry, significant: readonly string[]): boolean {
  if (significant.length === 0) return false;
  const fixed = entry.parts.flatMap((part) => (part.kind === "word" ? [part.word] : []));
  const shared = significant.filter((word) => fixed.some((candidate) => editDistance(word, candidate) <= Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3)))).length;
  return shared * 3 >= significant.length;
}
