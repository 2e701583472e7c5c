import type { IToken, TokenType } from "chevrotain";
import { EOF } from "./chevrotain.js";
import type { ParseProblem } from "./parser.js";
import * as T from "./tokens.js";

/**
 * Chevrotain's messages name token types; these name what the writer of a script should do.
 * They are chosen from the problem as data, never from chevrotain's English: the kind of error,
 * the token types that could have come next, the token found and the rule stack (what was being
 * read when the line stopped making sense).
 */
export interface EnglishProblem {
  message: string;
  fix: string;
  token: IToken;
}

/** The rules of a `whose` filter's condition (grammar/parser.ts). */
const filterRules = new Set(["whoseFilter", "filterCondition", "filterConjunction", "filterPart"]);

const valueHint = 'a value: a text in quotes, a number, yes or no, or a name that starts with "the"';

export function describeParseProblem(problem: ParseProblem, lineTokens: readonly IToken[]): EnglishProblem {
  const found = problem.token;
  const atEnd = found.tokenType === EOF;
  const shown = atEnd ? "the end of the line" : `"${found.image}"`;
  const stack = problem.ruleStack;
  const innermost = stack[stack.length - 1] ?? "statement";
  const token = atEnd ? lineTokens[lineTokens.length - 1] ?? found : found;
  const expects = (type: TokenType) => problem.expected.includes(type);

  if (problem.kind === "early-exit" && innermost === "eachLoop") {
    return { message: "This loop needs the name of each item, as in `process each invoice in the invoices`.", fix: "fix: write a name after `each`.", token };
  }
  if (innermost === "assignment" || (innermost === "reference" && stack.includes("assignment"))) {
    if (!atEnd && found.tokenType !== T.Is && found.tokenType !== T.Are) {
      return { message: `I expected "is" or "are" after the name, but found ${shown}.`, fix: 'fix: write a fact line like `the total is 10`, or check the words of the name.', token };
    }
    const hasVerb = lineTokens.some((lineToken) => lineToken.tokenType === T.Is || lineToken.tokenType === T.Are);
    if (atEnd && !hasVerb) {
      return { message: 'A line that starts with "the" is a fact line, but this one has no "is" or "are".', fix: 'fix: write it like `the total is 10`; to call a procedure, start the line with its first word.', token };
    }
  }
  if (innermost === "repeatLoop") {
    return { message: `I expected "times" after the count, as in \`repeat 3 times\`, but found ${shown}.`, fix: "fix: put the count in parentheses if it is a calculation: repeat (the n + 1) times.", token };
  }
  if (innermost === "setStatement" && expects(T.To)) {
    return { message: `I expected "to" after the name in this \`set\` line, but found ${shown}.`, fix: "fix: write it as `set the total to 10`.", token };
  }
  if (innermost === "useStatement" && expects(T.As)) {
    return { message: `I expected "as" in this \`use\` line, but found ${shown}.`, fix: "fix: write it as `use the last name as the order name`.", token };
  }
  if (innermost === "comparisonTail" && stack[stack.length - 2] === "filterPart") {
    return { message: `In a \`whose\` filter, the attribute needs a comparison after it (as in \`whose status is "open"\`), but found ${shown}.`, fix: "fix: write `is …`, `is greater than …`, `is in …`, `contains …` or another comparison after the attribute's name.", token };
  }
  if (filterRules.has(innermost) || (innermost === "bareName" && stack.includes("filterPart"))) {
    const example = 'as in `the claims whose status is "open"`';
    if (found.tokenType === T.The) return { message: `After "whose", name the items' attribute without "the" (${example}), but found "the".`, fix: 'fix: remove "the" before the attribute; a name with "the" is a fact of the script, and goes after the comparison.', token };
    if (!expects(T.RightParen)) return { message: `After "whose" I expected an attribute of the items and a comparison (${example}), but found ${shown}.`, fix: "fix: write the attribute's name, then `is …`, `is greater than …`, `contains …` or another comparison.", token };
  }
  if (expects(T.RightParen)) {
    return { message: `I expected ")" to close the "(" but found ${shown}.`, fix: "fix: add the missing `)`.", token };
  }
  if (innermost === "statement" || expects(EOF)) {
    return { message: `I didn't understand ${shown} here: the line should have ended before it.`, fix: "fix: check the words before it; names start with \"the\", texts need quotes.", token };
  }
  if (atEnd) {
    const last = lineTokens[lineTokens.length - 1];
    const after = last ? ` after "${last.image}"` : "";
    return { message: `This line ends too early:${after} I expected ${valueHint}.`, fix: `fix: write the value${after}, as in \`the total is 10\`.`, token };
  }
  return { message: `I expected ${valueHint}, but found ${shown}.`, fix: found.tokenType === T.Identifier ? `fix: if "${found.image}" is a name, write "the ${found.image}"; if it is text, put it in quotes.` : "fix: check the line against the examples in the language reference.", token };
}
