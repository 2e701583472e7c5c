import { tokenize } from "../../grammar/lexer.js";
import { proseParser } from "../../grammar/parser.js";
import { Dedent, Indent, Newline } from "../../grammar/tokens.js";
import type { ProcedureDefinition } from "../syntax/ast.js";
import { error, type Diagnostic } from "../syntax/diagnostic.js";
import type { ProcedurePattern } from "./procedure-pattern.js";

/**
 * A statement's word never hides a procedure silently (LANGUAGE.md §10.1). A `to …` whose name
 * starts with a statement's word is callable when a call to it is no statement (`process the
 * sale` is no loop, `say hello to the customer` is no `say`): the builder reads such a line as a
 * call sentence. When a call to it would read as the statement itself (`to ask a vendor`: `ask
 * the vendor` asks a person), the definition is an error that says so. Which is which is decided
 * by reading a call to the procedure as a line (inputs written `the <input>`), with the grammar.
 */

/** Statement words, and other names to suggest for a procedure that starts with one. */
const statementWords: Record<string, string> = {
  process: "handle",
  for: "handle",
  each: "handle",
  say: "announce",
  ask: "query",
  validate: "verify",
  ensure: "verify",
  stop: "halt",
  fail: "reject",
  learn: "study",
  set: "configure",
  use: "apply",
  repeat: "redo",
  if: "check",
  otherwise: "fall back",
  else: "fall back",
};

/** Lines that open blocks of their own: a procedure can never start with these words. */
const blockWords = new Set(["for", "each", "if", "otherwise", "else"]);

/** The problem with a procedure whose call would read as a statement, or undefined when it is callable. */
export function statementLikeName(definition: ProcedureDefinition, pattern: ProcedurePattern): Diagnostic | undefined {
  const first = pattern.parts[0];
  if (first?.kind !== "word" || !Object.hasOwn(statementWords, first.word)) return undefined;
  const call = pattern.parts.map((part) => (part.kind === "word" ? part.word : `the ${part.name}`)).join(" ");
  const statement = blockWords.has(first.word) ? first.word : statementReadBy(call);
  if (statement === undefined) return undefined;
  const rest = definition.name.slice(1).join(" ");
  const what = first.word === "process" || first.word === "for" || first.word === "each" ? "a `process each` loop" : `the \`${first.word}\` statement`;
  return error("procedure-hidden-by-statement", definition.span, `The procedure "${pattern.text}" could never be called: a line like \`${call}\` is ${what}.`, [
    `fix: start its name with another word, as in \`to ${`${statementWords[first.word]} ${rest}`.trim()}\`.`,
  ]);
}

/** The statement a line reads as, or undefined when it reads as a call sentence or as nothing. */
function statementReadBy(line: string): string | undefined {
  const { tokens, problems } = tokenize(line);
  if (problems.length > 0) return undefined;
  const parser = proseParser();
  const { cst, errors } = parser.parseWith(
    tokens.filter((token) => token.tokenType !== Newline && token.tokenType !== Indent && token.tokenType !== Dedent),
    () => parser.statement(),
  );
  if (errors.length > 0) return undefined;
  const kind = Object.keys(cst.children).find((name) => name !== "EOF");
  return kind === undefined || kind === "callSentence" ? undefined : kind;
}
