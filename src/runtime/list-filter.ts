import type { AttributesExpression, Expression, FilterExpression, ItemAttributeExpression, NameSegment } from "../syntax/ast.js";
import { singularOf } from "../syntax/plurals.js";
import { display } from "./display.js";
import { RuntimeError } from "./errors.js";
import type { EvaluationEnvironment } from "./evaluate.js";
import { readReference } from "./references.js";
import type { Scope } from "./scope.js";
import { UnknownFact } from "./unknown-fact.js";
import { describeKind, Fact, list, NOTHING, type Value } from "./values.js";

/**
 * List filters (`the claims whose status is "open"`) and attributes read from a computed value
 * (`the totals of the claims whose …`). Each item is tested once: the cost is linear in the list.
 */

/** While a filter tests an item, its condition's attribute names read that item. */
interface FilterEnvironment extends EvaluationEnvironment {
  readonly filterItem: Fact;
}

/** How evaluate.ts reads a value and tests a condition, handed in (this file is below it). */
export interface Evaluator {
  evaluate(expression: Expression, scope: Scope, environment: EvaluationEnvironment): Value;
  condition(expression: Expression, scope: Scope, environment: EvaluationEnvironment): boolean;
}

/** The items for which the condition holds, in their order; the items themselves (records stay shared). */
export function filterList(expression: FilterExpression, scope: Scope, environment: EvaluationEnvironment, evaluator: Evaluator): Value {
  const source = evaluator.evaluate(expression.list, scope, environment);
  if (source.kind === "nothing") return list([]);
  if (source.kind !== "list") {
    throw new RuntimeError(
      `\`whose\` picks items of a list, but this is ${describeKind(source)} ("${display(source)}").`,
      expression.span,
      "fix: filter a plural name that holds a list of records, as in `the claims whose status is \"open\"`.",
    );
  }
  const kept: Fact[] = [];
  for (const item of [...source.items]) {
    const itemEnvironment: FilterEnvironment = { now: () => environment.now(), above: () => environment.above(), filterItem: item };
    if (evaluator.condition(expression.condition, scope, itemEnvironment)) kept.push(item);
  }
  return list(kept);
}

/** `status` in a filter's condition: the attribute of the item being tested; nothing when the item has none. */
export function itemAttribute(expression: ItemAttributeExpression, scope: Scope, environment: EvaluationEnvironment): Value {
  const item = (environment as Partial<FilterEnvironment>).filterItem;
  if (!item) throw new RuntimeError(`"${expression.text}" names an attribute of a list's items, but no list is being filtered here.`, expression.span, 'fix: write it after `whose`, as in `the claims whose status is "open"`.');
  if (!item.hasAttributes() && item.value.kind !== "document") {
    throw new RuntimeError(
      `\`whose ${expression.text}\` reads each item's ${expression.text}, but the item "${display(item.value)}" is ${describeKind(item.value)} with no attributes.`,
      expression.span,
      "fix: filter a list of records (items with attributes, such as `the claims`), or compare the items themselves in a loop.",
    );
  }
  return attributeOf(item, expression.path, scope).value;
}

/** `the totals of <a filtered list>`: each item's attribute (nothing where an item has none), or the attribute of a single value. */
export function attributesOf(expression: AttributesExpression, scope: Scope, environment: EvaluationEnvironment, evaluator: Evaluator): Value {
  const source = evaluator.evaluate(expression.of, scope, environment);
  if (source.kind === "list") {
    // `the totals of …` reads each item's `total`, as `the claims' totals` does.
    const [first, ...rest] = expression.path;
    const singular: NameSegment[] = first.ordinal ? expression.path : [{ ...first, name: singularOf(first.name) }, ...rest];
    return list(source.items.map((item) => attributeOf(item, item.attribute(first.name) ? expression.path : singular, scope)));
  }
  return attributeOf(new Fact(source), expression.path, scope).value;
}

/** An attribute path read from an item, as a possessive reads it; what the item lacks is nothing, never a question. */
function attributeOf(item: Fact, path: readonly NameSegment[], scope: Scope): Fact {
  try {
    return readReference({ segments: [{ name: "item", span: path[0].span }, ...path], text: "the item", span: path[0].span }, scope, item);
  } catch (problem) {
    if (problem instanceof UnknownFact) return new Fact(NOTHING);
    throw problem;
  }
}
