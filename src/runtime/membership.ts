import type { ComparisonExpression } from "../syntax/ast.js";
import { compilePattern, isPatternProblem } from "../check/regular-expression.js";
import { searchableText, valuesEqual } from "./compare.js";
import { display } from "./display.js";
import { RuntimeError } from "./errors.js";
import { describeKind, type Value } from "./values.js";

/**
 * `X is in Y`: X is an item of the list Y (equal as `is` compares: texts ignore case and
 * surrounding space, numbers compare by value), or a part of the text Y (ignoring case, as
 * `contains` does; a document is its text). Nothing holds nothing: `X is in nothing` is no.
 */
export function isIn(item: Value, container: Value, expression: ComparisonExpression): boolean {
  if (container.kind === "nothing") return false;
  if (container.kind === "list") return container.items.some((entry) => valuesEqual(entry.value, item));
  if (container.kind === "text" || container.kind === "document") {
    if (item.kind === "nothing") return false;
    if (item.kind === "list") {
      throw new RuntimeError(`\`is in\` looks for one value in a text, but this is a list ("${display(item)}").`, expression.left.span, "fix: test each item in a loop, or test the list with `contains`.");
    }
    return searchableText(container).toLowerCase().includes(searchableText(item).toLowerCase());
  }
  throw new RuntimeError(
    `\`is in\` looks in a list or a text, but this is ${describeKind(container)} ("${display(container)}").`,
    expression.right.span,
    "fix: look in a list (`is in the codes`) or a text (`is in the file name`); compare numbers with `is`.",
  );
}

/** `X matches the pattern "…"`: the JavaScript pattern matches somewhere in X, case-sensitive. */
export function matchesPattern(subject: Value, pattern: Value, expression: ComparisonExpression): boolean {
  if (pattern.kind !== "text") {
    throw new RuntimeError(`A pattern must be a text, but this is ${describeKind(pattern)} ("${display(pattern)}").`, expression.right.span, 'fix: write the pattern in quotes, as in `matches the pattern "^INV-[0-9]+$"`.');
  }
  const compiled = compilePattern(pattern.text);
  if (isPatternProblem(compiled)) throw new RuntimeError(compiled.problem, expression.right.span, compiled.fix);
  if (subject.kind === "nothing") return false;
  if (subject.kind === "list") {
    throw new RuntimeError(`A pattern tests one text, but this is a list ("${display(subject)}").`, expression.left.span, "fix: test each item in a loop, or pick one item, as in `the first code`.");
  }
  return compiled.test(searchableText(subject));
}
