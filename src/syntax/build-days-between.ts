import type { AggregateOperator, Expression } from "./ast.js";
import type { AggregateCstNode } from "../../grammar/cst.js";
import { child } from "./cst-helpers.js";
import { error } from "./diagnostic.js";
import type { Span } from "./span.js";
import type { ExpressionBuilder } from "./build-expression.js";

/**
 * `the number of days between the start and the end`: the aggregate rule reads `days between A
 * and B` after `of`; only `the number of` counts days (`the sum of days between …` is a mistake
 * told here). Undefined when the aggregate is an ordinary one (`the number of vendors`).
 */
export function daysBetween(builder: ExpressionBuilder, node: AggregateCstNode, operator: AggregateOperator, span: Span): Expression | undefined {
  const from = child(node, "from");
  const to = child(node, "to");
  if (!from || !to) return undefined;
  if (operator !== "number") {
    builder.diagnostics.push(
      error("unreadable-line", span, `\`the ${operator} of days between …\` is not something I can work out: days between two dates are counted with \`the number of days between …\`.`, [
        "fix: write `the number of days between the start and the end`.",
      ]),
    );
  }
  return { kind: "days between", from: builder.additive(from), to: builder.additive(to), span };
}
