import type { Expression } from "./ast.js";
import type { ExpressionBuilder } from "./build-expression.js";
import { child, children, nodeSpan } from "./cst-helpers.js";
import { error } from "./diagnostic.js";
import { joinSpans } from "./span.js";
import type { ComparisonTailCstNode, FilterConditionCstNode, FilterPartCstNode, ListRefinementCstNode, UnaryCstNode } from "../../grammar/cst.js";

/**
 * What follows a value: `of the claims` and `whose status is "open"`.
 *
 * - `the totals of the claims` is `the claims' totals`; `the names of the owners of the claims`
 *   reads from right to left, as English does: the claims' owners' names.
 * - A filter belongs to the last name before it: in `the totals of the claims whose category is
 *   "travel"` the claims are filtered, then their totals are read.
 */
export function buildRefinement(builder: ExpressionBuilder, base: Expression, node: ListRefinementCstNode): Expression {
  const chain: Expression[] = [base, ...children(node, "reference").map((reference) => builder.referenceExpression(reference))];
  let value = chain[chain.length - 1];
  const whose = child(node, "whoseFilter");
  if (whose) {
    const condition = filterCondition(builder, child(whose, "filterCondition")!);
    value = { kind: "filter", list: value, condition, span: joinSpans(value.span, nodeSpan(builder.file, whose)) };
  }
  for (let index = chain.length - 2; index >= 0; index--) value = attributeOf(builder, chain[index], value);
  return value;
}

/** `the totals` of a value: a reference when the value is a name, otherwise the attributes read from the value. */
function attributeOf(builder: ExpressionBuilder, outer: Expression, inner: Expression): Expression {
  const span = joinSpans(outer.span, inner.span);
  if (outer.kind !== "reference") {
    builder.diagnostics.push(error("unreadable-line", outer.span, "Only a name can be read `of` a value, as in `the totals of the claims`.", ["fix: write the attribute's name with `the`, as in `the total of the invoice`."]));
    return inner;
  }
  const path = outer.reference.segments;
  const text = `${outer.reference.text} of ${inner.kind === "reference" ? inner.reference.text : inner.kind === "above" ? "the above" : "…"}`;
  if (inner.kind === "reference") {
    return { kind: "reference", reference: { segments: [...inner.reference.segments, ...path], text, span }, span };
  }
  if (inner.kind === "above") {
    return { kind: "reference", reference: { segments: [{ name: "above", span: inner.span }, ...path], text, span }, span };
  }
  return { kind: "attributes", of: inner, path, text: outer.reference.text, span };
}

/**
 * `status is "open" and total is greater than 100`: each part compares an attribute of the item.
 * `and` and `or` mixed without parentheses are an error: a reader can't tell which joins first.
 */
function filterCondition(builder: ExpressionBuilder, node: FilterConditionCstNode): Expression {
  const conjunctions = children(node, "filterConjunction");
  if (conjunctions.length > 1 && conjunctions.some((conjunction) => children(conjunction, "filterPart").length > 1)) {
    builder.diagnostics.push(
      error("ambiguous-filter", nodeSpan(builder.file, node), "This filter mixes `and` and `or`, so it can be read two ways.", [
        'fix: put parentheses around the parts that go together, as in `whose (status is "open" or status is "new") and total is greater than 100`.',
      ]),
    );
  }
  const joined = conjunctions.map((conjunction) => join(children(conjunction, "filterPart").map((part) => filterPart(builder, part)), "and"));
  return join(joined, "or");
}

function filterPart(builder: ExpressionBuilder, node: FilterPartCstNode): Expression {
  const inner = child(node, "filterCondition");
  if (inner) return filterCondition(builder, inner);
  const name = child(node, "bareName")!;
  const attribute = builder.reference(name);
  const item: Expression = { kind: "item", path: attribute.segments, text: attribute.text, span: attribute.span };
  const tail = child(node, "comparisonTail")!;
  reportJoinedInnerFilter(builder, tail);
  return builder.comparisonWith(item, tail, nodeSpan(builder.file, node));
}

/**
 * `whose total is greater than the sum of the totals of the claims whose category is "x" and
 * status is "open"`: the `and status …` could belong to the inner filter or the outer one. The
 * inner one would take it; since a reader can't tell, it is an error with both ways to say it.
 */
function reportJoinedInnerFilter(builder: ExpressionBuilder, tail: ComparisonTailCstNode): void {
  const inner = trailingFilter(tail);
  if (!inner) return;
  const conjunctions = children(inner, "filterConjunction");
  if (conjunctions.length === 1 && children(conjunctions[0], "filterPart").length === 1) return;
  builder.diagnostics.push(
    error("ambiguous-filter", nodeSpan(builder.file, inner), "This `whose` sits inside the condition of another `whose`, so the `and` / `or` after it could belong to either filter.", [
      "fix: put the inner list in parentheses, as in `whose total is greater than (the sum of the totals of the claims whose category is \"x\") and status is \"open\"`, or put the inner filter's whole condition in parentheses: `whose (category is \"x\" and status is \"open\")`.",
    ]),
  );
}

/** The condition of a filter that ends the value compared (`… of the claims whose …`), when one does. */
function trailingFilter(tail: ComparisonTailCstNode): FilterConditionCstNode | undefined {
  const isOperator = child(tail, "isOperator");
  const pattern = child(tail, "patternOperand");
  const additive = child(tail, "additive") ?? (isOperator && child(isOperator, "additive")) ?? (pattern && child(pattern, "additive"));
  if (!additive) return undefined;
  const products = additive.children.multiplicative;
  const factors = products[products.length - 1].children.unary;
  let unary: UnaryCstNode = factors[factors.length - 1];
  for (let inner = child(unary, "unary"); inner; inner = child(unary, "unary")) unary = inner;
  const primary = child(unary, "primary");
  if (!primary) return undefined;
  const aggregate = child(primary, "aggregate");
  const refinement = child(primary, "listRefinement") ?? (aggregate && child(aggregate, "listRefinement"));
  const whose = refinement && child(refinement, "whoseFilter");
  return whose ? child(whose, "filterCondition") : undefined;
}

function join(parts: Expression[], operator: "and" | "or"): Expression {
  return parts.reduce((left, right) => ({ kind: "logical", operator, left, right, span: joinSpans(left.span, right.span) }));
}

/**
 * `the claims whose status is "open" or "new"`: the `or "new"` after a filter is a condition of
 * the line, not a second status, which is almost never what was meant; it is reported with both
 * ways to say it.
 */
export function reportValueAfterFilter(builder: ExpressionBuilder, left: Expression, right: Expression, operator: "and" | "or"): void {
  if (right.kind !== "text" && right.kind !== "number") return;
  const filter = filterAtEnd(left);
  if (!filter) return;
  const last = lastComparison(filter.condition);
  if (!last || last.left.kind !== "item") return;
  const attribute = last.left.text;
  builder.diagnostics.push(
    error("ambiguous-filter", right.span, `After \`whose ${attribute} …\`, \`${operator} ${valueText(right)}\` would be a condition of its own, not another ${attribute}.`, [
      `fix: name the attribute again (\`whose ${attribute} is … ${operator} ${attribute} is …\`), or list the values (\`whose ${attribute} is in ("…", "…")\`).`,
    ]),
  );
}

/** The filter a value ends with (`the number of claims whose status is "open"`), if any. */
function filterAtEnd(expression: Expression): Extract<Expression, { kind: "filter" }> | undefined {
  let current: Expression = expression;
  for (;;) {
    switch (current.kind) {
      case "filter": return current;
      case "comparison": case "arithmetic": case "logical": current = current.right; break;
      case "aggregate": case "negate": case "not": case "test": current = current.operand; break;
      case "attributes": current = current.of; break;
      default: return undefined;
    }
  }
}

function lastComparison(condition: Expression): Extract<Expression, { kind: "comparison" }> | undefined {
  let current = condition;
  while (current.kind === "logical") current = current.right;
  return current.kind === "comparison" ? current : undefined;
}

function valueText(value: Expression): string {
  if (value.kind === "number") return `${value.currency ?? ""}${value.digits}${value.percent ? "%" : ""}`;
  if (value.kind === "text") return JSON.stringify(value.parts.map((part) => (typeof part === "string" ? part : "{…}")).join(""));
  return "…";
}
