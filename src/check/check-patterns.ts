import type { Expression, Statement } from "../syntax/ast.js";
import { error, type Diagnostic } from "../syntax/diagnostic.js";
import { expressionsOf, statementsIn } from "../syntax/walk.js";
import type { CallMatch } from "./match-call.js";
import { compilePattern, isPatternProblem } from "./regular-expression.js";

/**
 * `matches the pattern "…"` with the pattern written in quotes: a pattern that is not valid, or
 * that only a backtracking engine could run, is reported before the script runs. A pattern held
 * in a fact is checked when the condition runs.
 */
export function checkPatterns(statements: readonly Statement[], calls: ReadonlyMap<Statement, CallMatch>, diagnostics: Diagnostic[]): void {
  for (const statement of statementsIn(statements)) {
    const roots = [...expressionsOf(statement)];
    if (statement.kind === "call") roots.push(...(calls.get(statement)?.arguments.values() ?? []));
    for (const root of roots) {
      for (const expression of expressionsWithin(root)) {
        if (expression.kind !== "comparison" || expression.operator !== "matches") continue;
        const pattern = expression.right;
        if (pattern.kind !== "text" || pattern.parts.some((part) => typeof part !== "string")) continue;
        const compiled = compilePattern((pattern.parts as string[]).join(""));
        if (isPatternProblem(compiled)) diagnostics.push(error("bad-pattern", pattern.span, compiled.problem, [compiled.fix]));
      }
    }
  }
}

/** An expression and every expression inside it, walked with a stack (a long chain is as deep as it is long). */
function* expressionsWithin(expression: Expression): Generator<Expression> {
  const pending: Expression[] = [expression];
  while (pending.length > 0) {
    const next = pending.pop()!;
    yield next;
    switch (next.kind) {
      case "text":
        for (const part of next.parts) if (typeof part !== "string") pending.push(part);
        break;
      case "list":
        pending.push(...next.items);
        break;
      case "arithmetic":
      case "comparison":
      case "logical":
        pending.push(next.right, next.left);
        break;
      case "aggregate":
      case "negate":
      case "not":
      case "test":
        pending.push(next.operand);
        break;
      case "filter":
        pending.push(next.condition, next.list);
        break;
      case "attributes":
        pending.push(next.of);
        break;
    }
  }
}
