import type { IToken } from "chevrotain";
import { error, type Diagnostic } from "./diagnostic.js";
import { EXPRESSION_NESTING, formatCount } from "./limits.js";
import { tokenSpan } from "./cst-helpers.js";

/** Tokens after which a `-` subtracts instead of making the next value negative. */
const valueEnds = new Set(["Text", "NumberLiteral", "RightParen"]);
/** Tokens after which `not` belongs to a comparison (`is not`, `does not`), not before a value. */
const comparisonWords = new Set(["Is", "Does", "Are"]);
/** Tokens that end the operand a `not` applies to. */
const conditionEnds = new Set(["And", "Or", "Comma"]);

interface Level {
  /** `-` signs waiting for their value. */
  minus: number;
  /** `not`s waiting for the end of their condition. */
  not: number;
  /** `whose` filters still open: each nests the values after it one level deeper. */
  whose: number;
}

/**
 * How deep a line's expressions nest, measured before the parser reads it (the parser goes one
 * level deeper for each): each open parenthesis counts one, and so does each `-` or `not`
 * written before a value. The first token that goes past the limit is reported, naming the limit,
 * so the line is never handed to the parser.
 */
export function expressionNestingProblem(tokens: readonly IToken[], file: string): Diagnostic | undefined {
  const levels: Level[] = [{ minus: 0, not: 0, whose: 0 }];
  let depth = 0;
  let prefixes = 0;
  let previous: IToken | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const name = token.tokenType.name;
    const level = levels[levels.length - 1];
    let opened = false;
    if (name === "LeftParen") {
      levels.push({ minus: 0, not: 0, whose: 0 });
      depth++;
      opened = true;
    } else if (name === "MinusSign" && !endsValue(previous)) {
      level.minus++;
      depth++;
      prefixes++;
      opened = true;
    } else if (name === "Not" && !(previous && comparisonWords.has(previous.tokenType.name))) {
      level.not++;
      depth++;
      prefixes++;
      opened = true;
    } else if (name === "Whose") {
      level.whose++;
      depth++;
      prefixes++;
      opened = true;
    } else if (name === "RightParen") {
      if (levels.length > 1) {
        const closed = levels.pop()!;
        depth -= 1 + closed.minus + closed.not + closed.whose;
        prefixes -= closed.minus + closed.not + closed.whose;
      }
      closeMinus(levels[levels.length - 1]);
    } else {
      closeMinus(level);
      if (conditionEnds.has(name)) {
        depth -= level.not;
        prefixes -= level.not;
        level.not = 0;
      }
      if (name === "Comma") {
        depth -= level.whose;
        prefixes -= level.whose;
        level.whose = 0;
      }
    }
    if (opened && depth > EXPRESSION_NESTING.most) return tooDeep(token, depth, prefixes > 0, file);
    previous = token;
  }
  return undefined;

  function closeMinus(level: Level): void {
    depth -= level.minus;
    prefixes -= level.minus;
    level.minus = 0;
  }
}

function endsValue(token: IToken | undefined): boolean {
  if (!token) return false;
  if (valueEnds.has(token.tokenType.name)) return true;
  return token.tokenType.CATEGORIES?.some((category) => category.name === "Word") === true;
}

function tooDeep(token: IToken, depth: number, withPrefixes: boolean, file: string): Diagnostic {
  const most = formatCount(EXPRESSION_NESTING.most);
  const message = withPrefixes
    ? `This expression nests ${formatCount(depth)} levels deep; Prose allows ${most}, counting parentheses, each \`-\` or \`not\` before a value and each \`whose\` — split it into named facts.`
    : `This expression nests ${formatCount(depth)} parentheses deep; Prose allows ${most} — split it into named facts.`;
  return error("nesting-too-deep", tokenSpan(file, token), message, [
    "fix: give an inner part its own line, as in `the subtotal is (…)`, and use `the subtotal` here.",
  ]);
}
