import type { EachLoop, Expression } from "../syntax/ast.js";
import { pluralOf } from "../syntax/plurals.js";

const defaults = new WeakMap<EachLoop, Expression>();

/**
 * The list a loop goes through: the one written (`for each vendor in the suppliers`), or, when
 * it names none (`process each invoice`), the fact named by the plural of its item (`the
 * invoices`). The interpreter and check both read a loop's list through here.
 */
export function loopCollection(loop: EachLoop): Expression {
  if (loop.collection) return loop.collection;
  let collection = defaults.get(loop);
  if (collection === undefined) {
    const name = pluralOf(loop.item);
    collection = { kind: "reference", reference: { segments: [{ name, span: loop.itemSpan }], text: `the ${name}`, span: loop.span }, span: loop.span };
    defaults.set(loop, collection);
  }
  return collection;
}
