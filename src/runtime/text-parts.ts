import type { Expression } from "../syntax/ast.js";
import { displayFact } from "./display.js";
import { factToShow, type EvaluationEnvironment } from "./evaluate.js";
import type { TextPart } from "./procedure.js";
import type { Scope } from "./scope.js";
import { Fact, text } from "./values.js";

/**
 * A text literal evaluated twice over in one pass: as the text every reader sees (a document
 * shows as its file name), and as its pieces with the facts put into it kept whole, for an LLM
 * procedure that gives the model a document's content (LANGUAGE.md §10.2). Undefined for an
 * expression that is no text with `{…}` in it.
 */
export function evaluateTextParts(expression: Expression, scope: Scope, environment: EvaluationEnvironment): { fact: Fact; parts: TextPart[] } | undefined {
  if (expression.kind !== "text" || expression.parts.every((part) => typeof part === "string")) return undefined;
  const parts: TextPart[] = expression.parts.map((part) => (typeof part === "string" ? part : factToShow(part, scope, environment)));
  const shown = parts.map((part) => (typeof part === "string" ? part : displayFact(part))).join("");
  return { fact: new Fact(text(shown)), parts };
}
