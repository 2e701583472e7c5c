import { checkListLength } from "./limit-exceeded.js";
import { keepMeasure, measureAppended } from "./list-measure.js";
import type { Fact, ListValue, Value } from "./values.js";

/**
 * `add … to the list` in a loop: appending in place costs one step, copying the list costs as
 * many steps as it has items, and 80,000 appends copied 3.2 billion items. Yet a list must not
 * change under another name that holds it (`the copy is the names`, a list holding the names,
 * a procedure's input, `the above`). So a list is appended in place only by the one fact that
 * owns it: the fact `add` stored it in, as long as nothing has read that fact since.
 *
 * - `add` makes a new list the first time (a copy, plus the item), or appends in place when its
 *   target owns the list; either way the list it returns is "made by add".
 * - The interpreter stores a list made by add under the target's name and gives that fact
 *   ownership (`claim`).
 * - Reading a fact through a name, or `the above`, gives up its ownership (`release`): from then
 *   on the list may be held elsewhere, and the next `add` copies it again (once).
 *
 * Reading the target of the `add` itself (when its result goes back to the same name) is the
 * only read that keeps ownership.
 */
const owners = new WeakMap<ListValue, Fact>();
const madeByAdd = new WeakSet<ListValue>();

/** `add item to target`: the target's list with the item at its end, in place when the target owns it. */
export function appendItem(target: Fact, list: ListValue, item: Fact): ListValue {
  checkListLength(list.items.length + 1);
  const measure = measureAppended(list, item);
  let result: ListValue;
  if (owners.get(list) === target) {
    list.items.push(item);
    result = list;
  } else {
    const items = list.items.slice();
    items.push(item);
    result = { kind: "list", items };
  }
  keepMeasure(result, measure);
  madeByAdd.add(result);
  return result;
}

/** After a list made by `add` was stored in `fact`: `fact` owns it. */
export function claim(fact: Fact | undefined): void {
  if (fact === undefined || fact.value.kind !== "list" || !madeByAdd.has(fact.value)) return;
  madeByAdd.delete(fact.value);
  owners.set(fact.value, fact);
}

/** A fact was read: its list may now be held elsewhere, so it is never again changed in place. */
export function release(fact: Fact): Fact {
  const value: Value = fact.value;
  if (value.kind === "list") {
    owners.delete(value);
    madeByAdd.delete(value);
  }
  return fact;
}
