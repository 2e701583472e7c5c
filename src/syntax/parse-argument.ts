import type { IToken } from "chevrotain";
import { proseParser } from "../../grammar/parser.js";
import type { Expression } from "./ast.js";
import { ExpressionBuilder } from "./build-expression.js";
import { child } from "./cst-helpers.js";
import type { Diagnostic } from "./diagnostic.js";

/** One slot's argument of a call sentence, read as an expression (or a list), with its problems. */
export interface ParsedArgument {
  expression: Expression;
  /** Problems inside the argument (a broken `{…}` in a text). */
  diagnostics: Diagnostic[];
}

/**
 * Reads a run of a call sentence's tokens as one argument: undefined when they do not read as
 * one expression or list. `check` calls this while matching a sentence against a pattern; the
 * parser and its CST stay inside syntax.
 */
export function parseArgument(tokens: readonly IToken[], file: string): ParsedArgument | undefined {
  if (tokens.length === 0) return undefined;
  const parser = proseParser();
  const { cst, errors } = parser.parseWith(tokens as IToken[], () => parser.argumentOnly());
  if (errors.length > 0) return undefined;
  const diagnostics: Diagnostic[] = [];
  const expression = new ExpressionBuilder(file, diagnostics).list(child(cst, "listExpression")!);
  return { expression, diagnostics };
}
