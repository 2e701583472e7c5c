import type { AggregateExpression, ArithmeticExpression, ComparisonExpression, Expression, LogicalExpression, Reference } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import { calculate, ArithmeticProblem, asNumber } from "./arithmetic.js";
import { compareValues, searchableText, valuesEqual } from "./compare.js";
import { display, displayFact } from "./display.js";
import { RuntimeError } from "./errors.js";
import { readReference } from "./references.js";
import type { Scope } from "./scope.js";
import { UnknownFact } from "./unknown-fact.js";
import { addDays, boolean, dateFromJs, describeKind, Fact, list, number, text, NOTHING, type NumberValue, type Value } from "./values.js";
import { Decimal } from "./decimal.js";
import { release } from "./list-ownership.js";
import { attributesOf, filterList, itemAttribute, type Evaluator } from "./list-filter.js";
import { isIn, matchesPattern } from "./membership.js";
import { daysBetweenValue } from "./date-attributes.js";

/** What evaluation needs besides the facts: the clock and the value of the previous statement. */
export interface EvaluationEnvironment {
  now(): Date;
  above(): Fact;
}

const constants = new WeakMap<Expression, Value>();

/** Evaluates to a fact, so that records keep their attributes (`the invoice`, `the above`). */
export function evaluateFact(expression: Expression, scope: Scope, environment: EvaluationEnvironment): Fact {
  if (expression.kind === "reference") return release(read(expression.reference, scope, environment));
  if (expression.kind === "above") return release(environment.above());
  if (expression.kind === "list") return new Fact(list(expression.items.map((item) => evaluateFact(item, scope, environment))));
  return new Fact(evaluate(expression, scope, environment));
}

export function evaluate(expression: Expression, scope: Scope, environment: EvaluationEnvironment): Value {
  switch (expression.kind) {
    case "number":
    case "boolean":
    case "nothing": {
      let value = constants.get(expression);
      if (!value) {
        value = constantValue(expression);
        constants.set(expression, value);
      }
      return value;
    }
    case "credential":
      return { kind: "secret", name: expression.name };
    case "text":
      return text(expression.parts.map((part) => (typeof part === "string" ? part : displayFact(factToShow(part, scope, environment)))).join(""));
    case "date": {
      const now = environment.now();
      if (expression.word === "now") return dateFromJs(now, true);
      const today = dateFromJs(now, false);
      return expression.word === "today" ? today : addDays(today, expression.word === "tomorrow" ? 1 : -1);
    }
    // The value is used, not kept: no caller of `evaluate` stores it in another fact (those
    // that may go through `evaluateFact`), so a list read here stays its fact's own.
    case "reference":
      return read(expression.reference, scope, environment).value;
    case "above":
      return environment.above().value;
    case "list":
      return list(expression.items.map((item) => evaluateFact(item, scope, environment)));
    case "aggregate":
      return aggregate(expression, scope, environment);
    case "days between":
      return daysBetweenValue(expression, evaluate(expression.from, scope, environment), evaluate(expression.to, scope, environment));
    case "arithmetic":
      return arithmetic(expression, scope, environment);
    case "negate": {
      const operand = evaluate(expression.operand, scope, environment);
      const found = asNumber(operand);
      if (!found) throw new RuntimeError(`I can't make ${describeKind(operand)} negative: "${display(operand)}" is not a number.`, expression.span);
      return number(found.value.negated(), found.unit);
    }
    case "comparison":
      return boolean(compare(expression, scope, environment) !== expression.negated);
    case "test":
      return boolean(test(expression.test, expression.operand, scope, environment) !== expression.negated);
    case "logical":
      return logical(expression, scope, environment);
    case "not":
      return boolean(!condition(expression.operand, scope, environment));
    case "filter":
      return filterList(expression, scope, environment, evaluator);
    case "item":
      return itemAttribute(expression, scope, environment);
    case "attributes":
      return attributesOf(expression, scope, environment, evaluator);
  }
}

/**
 * `a + b - c + …`: the parser builds a tree that leans left (`((a + b) - c) + …`), as deep as
 * the chain is long, so it is computed along its left edge with a loop: 30,000 terms cost 30,000
 * steps, never 30,000 nested calls.
 */
function arithmetic(top: ArithmeticExpression, scope: Scope, environment: EvaluationEnvironment): Value {
  const chain: ArithmeticExpression[] = [];
  let leftmost: Expression = top;
  while (leftmost.kind === "arithmetic") {
    chain.push(leftmost);
    leftmost = leftmost.left;
  }
  let value = evaluate(leftmost, scope, environment);
  for (let index = chain.length - 1; index >= 0; index--) {
    const step = chain[index];
    const right = evaluate(step.right, scope, environment);
    try {
      value = calculate(step.operator, value, right);
    } catch (problem) {
      if (problem instanceof ArithmeticProblem) throw new RuntimeError(problem.message, step.span, problem.fix);
      throw problem;
    }
  }
  return value;
}

/** `a and b or c and …`, left-leaning as `+` chains are, with the same loop; `and`/`or` still stop early. */
function logical(top: LogicalExpression, scope: Scope, environment: EvaluationEnvironment): Value {
  const chain: LogicalExpression[] = [];
  let leftmost: Expression = top;
  while (leftmost.kind === "logical") {
    chain.push(leftmost);
    leftmost = leftmost.left;
  }
  let value = condition(leftmost, scope, environment);
  for (let index = chain.length - 1; index >= 0; index--) {
    const step = chain[index];
    if (step.operator === "and" ? value : !value) value = condition(step.right, scope, environment);
  }
  return boolean(value);
}

/** A fact to be shown (`say`, `{…}` in a text), not kept: reading it keeps its list its fact's own. */
export function factToShow(expression: Expression, scope: Scope, environment: EvaluationEnvironment): Fact {
  if (expression.kind === "reference") return read(expression.reference, scope, environment);
  if (expression.kind === "above") return environment.above();
  return evaluateFact(expression, scope, environment);
}

/**
 * The fact a call changes in place (`add 1 to the totals`, whose result goes back under the same
 * name): read without giving up the ownership of its list (see list-ownership.ts).
 */
export function evaluateTarget(expression: Expression, scope: Scope, environment: EvaluationEnvironment): Fact {
  if (expression.kind !== "reference") return evaluateFact(expression, scope, environment);
  // A name read from an enclosing scope (a procedure reading a global) is written back to the
  // local one: its list is held by two names from then on.
  const root = expression.reference.segments[0];
  const local = !root.ordinal && root.name !== "above" && scope.facts.has(root.name);
  return local ? read(expression.reference, scope, environment) : evaluateFact(expression, scope, environment);
}

/** An attribute the value of the line above doesn't have: nobody can be asked to set it. */
class MissingOnAbove extends RuntimeError {}

/** A name; `the above's total` reaches into the value of the previous statement. */
function read(reference: Reference, scope: Scope, environment: EvaluationEnvironment): Fact {
  const root = reference.segments[0];
  if (reference.segments.length === 1 || root.ordinal || root.name !== "above") return readReference(reference, scope);
  try {
    return readReference(reference, scope, environment.above());
  } catch (problem) {
    if (!(problem instanceof UnknownFact)) throw problem;
    throw new MissingOnAbove(`The value of the line above has nothing called "${problem.reference.text.replace(/^the above's /, "")}".`, reference.span, "fix: check what the line above produces, or name its result with `as the …` and use that name.");
  }
}

function constantValue(expression: Expression): Value {
  if (expression.kind === "boolean") return boolean(expression.value);
  if (expression.kind === "nothing") return NOTHING;
  if (expression.kind !== "number") return NOTHING;
  const value = new Decimal(expression.digits);
  if (expression.percent) return number(value.div(100), "%");
  return number(value, expression.currency);
}

const evaluator: Evaluator = { evaluate: (expression, scope, environment) => evaluate(expression, scope, environment), condition: (expression, scope, environment) => condition(expression, scope, environment) };

/** A condition must be yes or no; nothing counts as no. */
export function condition(expression: Expression, scope: Scope, environment: EvaluationEnvironment): boolean {
  const value = evaluate(expression, scope, environment);
  if (value.kind === "boolean") return value.value;
  if (value.kind === "nothing") return false;
  throw new RuntimeError(`This condition is ${describeKind(value)} ("${display(value)}"), not yes or no.`, expression.span, "fix: compare it with something, as in `if the total is greater than 0`.");
}

function compare(expression: ComparisonExpression, scope: Scope, environment: EvaluationEnvironment): boolean {
  const left = evaluate(expression.left, scope, environment);
  const right = evaluate(expression.right, scope, environment);
  switch (expression.operator) {
    case "equal":
      return valuesEqual(left, right);
    case "contains":
      if (left.kind === "list") return left.items.some((item) => valuesEqual(item.value, right));
      return searchableText(left).toLowerCase().includes(searchableText(right).toLowerCase());
    case "starts with":
      return searchableText(left).trim().toLowerCase().startsWith(searchableText(right).trim().toLowerCase());
    case "ends with":
      return searchableText(left).trim().toLowerCase().endsWith(searchableText(right).trim().toLowerCase());
    case "in":
      return isIn(left, right, expression);
    case "matches":
      return matchesPattern(left, right, expression);
  }
  const ordering = compareValues(left, right);
  if (ordering === undefined) {
    throw new RuntimeError(
      `I can't compare ${describeKind(left)} ("${display(left)}") with ${describeKind(right)} ("${display(right)}").`,
      expression.span,
      "fix: compare numbers with numbers, dates with dates, or texts with texts.",
    );
  }
  switch (expression.operator) {
    case "greater": return ordering > 0;
    case "less": return ordering < 0;
    case "at least": return ordering >= 0;
    case "at most": return ordering <= 0;
  }
}

function test(kind: "empty" | "exists", operand: Expression, scope: Scope, environment: EvaluationEnvironment): boolean {
  if (kind === "exists") {
    try {
      return evaluate(operand, scope, environment).kind !== "nothing";
    } catch (problem) {
      if (problem instanceof UnknownFact || problem instanceof MissingOnAbove) return false;
      throw problem;
    }
  }
  const value = evaluate(operand, scope, environment);
  switch (value.kind) {
    case "nothing": return true;
    case "text": return value.text.trim() === "";
    case "list": return value.items.length === 0;
    case "document": return (value.text ?? "").trim() === "" && value.size === 0;
    default: return false;
  }
}

function aggregate(expression: AggregateExpression, scope: Scope, environment: EvaluationEnvironment): Value {
  const operand = evaluate(expression.operand, scope, environment);
  const span = expression.span;
  if (expression.operator === "length" && operand.kind !== "list") {
    if (operand.kind === "nothing") return number(0);
    return number([...searchableText(operand)].length);
  }
  if (operand.kind === "nothing") {
    if (expression.operator === "number" || expression.operator === "sum") return number(0);
  }
  if (operand.kind !== "list") {
    throw new RuntimeError(`"the ${expression.operator} of …" needs a list, but this is ${describeKind(operand)} ("${display(operand)}").`, span, "fix: use a plural name that holds a list, such as `the totals`.");
  }
  const items = operand.items.map((item) => item.value);
  if (expression.operator === "number" || expression.operator === "length") return number(items.length);
  if (expression.operator === "maximum" || expression.operator === "minimum") return extreme(items, expression.operator, span);
  const numbers = items.map((item) => numberItem(item, expression.operator, span));
  const total = numbers.reduce((sum, item) => calculate("+", sum, item) as NumberValue, number(0) as NumberValue);
  if (expression.operator === "sum") return total;
  if (numbers.length === 0) throw new RuntimeError("I can't take the average of an empty list.", span, "fix: check `if the number of … is greater than 0` first.");
  return number(total.value.div(numbers.length), total.unit);
}

function numberItem(item: Value, operator: string, span: Span): NumberValue {
  const found = asNumber(item);
  if (!found) throw new RuntimeError(`I can't take the ${operator} of a list that holds ${describeKind(item)} ("${display(item)}").`, span, "fix: every item must be a number.");
  return found;
}

function extreme(items: Value[], operator: "maximum" | "minimum", span: Span): Value {
  if (items.length === 0) throw new RuntimeError(`I can't take the ${operator} of an empty list.`, span);
  let best = items[0];
  for (const item of items.slice(1)) {
    const ordering = compareValues(item, best);
    if (ordering === undefined) throw new RuntimeError(`I can't take the ${operator}: "${display(item)}" and "${display(best)}" are not of one kind.`, span);
    if (operator === "maximum" ? ordering > 0 : ordering < 0) best = item;
  }
  return best;
}
