import { formatCount, LIST_ITEMS, VALUE_NESTING } from "../syntax/limits.js";
import { LimitExceeded } from "./limit-exceeded.js";
import type { Fact, ListValue, Value } from "./values.js";

/**
 * How big a list is, counting the items of the lists within it, and how deep its lists nest.
 * A list may hold another list several times without copying it (`the items are the items,
 * the items`), so doubling a list in a loop makes a value of a billion items in thirty rounds,
 * in little memory, that no one can then show, copy or compare. Each list's measure is kept
 * once it is known, so measuring a new list costs one step per item of its own.
 */
interface Measure {
  /** Items in all, those of lists within lists included. */
  size: number;
  /** 1 for a list of plain values; 2 for a list of lists; … */
  depth: number;
}

const measures = new WeakMap<ListValue, Measure>();

export function measureOf(value: Value): Measure {
  if (value.kind !== "list") return { size: 0, depth: 0 };
  const known = measures.get(value);
  if (known) return known;
  const measure = measureItems(value.items);
  measures.set(value, measure);
  return measure;
}

function measureItems(items: readonly Fact[]): Measure {
  let size = items.length;
  let depth = 1;
  for (let index = 0; index < items.length; index++) {
    const item = items[index].value;
    if (item.kind !== "list") continue;
    const inner = measureOf(item);
    size += inner.size;
    depth = Math.max(depth, inner.depth + 1);
  }
  return { size, depth };
}

/** A list about to be made: throws when it would be too big or too deep, keeps its measure otherwise. */
export function checkNewList(value: ListValue): ListValue {
  const measure = measureItems(value.items);
  checkMeasure(measure);
  measures.set(value, measure);
  return value;
}

/** `add item to list`: the measure of the list with one more item, checked before the list changes. */
export function measureAppended(list: ListValue, item: Fact): Measure {
  const old = measureOf(list);
  const inner = measureOf(item.value);
  const measure = { size: old.size + 1 + inner.size, depth: item.value.kind === "list" ? Math.max(old.depth, inner.depth + 1) : old.depth };
  checkMeasure(measure);
  return measure;
}

export function keepMeasure(list: ListValue, measure: Measure): void {
  measures.set(list, measure);
}

/** `the 4th item is …` adds an item to the list in place: checked, and its measure kept, before it is added. */
export function itemAdded(list: ListValue, item: Fact): void {
  measures.set(list, measureAppended(list, item));
}

/**
 * An item of the list is set in place: a plain value for a plain value changes nothing; when a
 * list comes or goes, the measure is taken again when next needed.
 */
export function itemChanged(list: Value, before: Value, after: Value): void {
  if (list.kind === "list" && (before.kind === "list" || after.kind === "list")) measures.delete(list);
}

function checkMeasure(measure: Measure): void {
  if (measure.size > LIST_ITEMS.most) {
    throw new LimitExceeded(
      `This list would hold ${formatCount(measure.size)} items, counting those of the lists within it; Prose allows ${formatCount(LIST_ITEMS.most)}.`,
      "fix: check the loop that makes it grow; a list that holds itself (`the items are the items, the items`) doubles each time.",
    );
  }
  if (measure.depth > VALUE_NESTING.most) {
    throw new LimitExceeded(
      `This list would hold lists nested ${formatCount(measure.depth)} deep; Prose allows ${formatCount(VALUE_NESTING.most)}.`,
      "fix: check the loop that makes it grow: a list made of itself and more (`the items are the items, 1`) nests one level deeper each time.",
    );
  }
}
