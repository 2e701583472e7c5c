import type { NameSegment, Reference } from "../syntax/ast.js";
import { ordinalWord } from "../syntax/ordinals.js";
import { spokenName } from "../syntax/proper-names.js";
import { pluralOf, singularOf } from "../syntax/plurals.js";
import { display } from "./display.js";
import { RuntimeError } from "./errors.js";
import type { Scope } from "./scope.js";
import { UnknownFact } from "./unknown-fact.js";
import { isAliased, markAliased } from "./aliases.js";
import { itemAdded, itemChanged } from "./list-measure.js";
import { describeKind, Fact, list, NOTHING, type DocumentValue, type ListValue } from "./values.js";
import { documentAttributeNames, documentOwnAttribute } from "./document-attributes.js";
import { dateAttributeNames, dateOwnAttribute } from "./date-attributes.js";
import { isoDateProblem, looksLikeIsoDate } from "./date-text.js";
import { documentField, DocumentFieldNeeded, ownerKey } from "./document-fields.js";
import { carryKeys } from "./original-keys.js";

/** Reading and writing facts through names, possessives and ordinals. */

function subjectOf(segments: readonly NameSegment[], count: number): string {
  return spokenName(segments.slice(0, count).map((segment) => segment.name));
}

function unknown(segments: readonly NameSegment[], count: number): UnknownFact {
  const kept = segments.slice(0, count);
  const span = { ...kept[0].span, end: kept[kept.length - 1].span.end };
  return new UnknownFact({ segments: kept, text: subjectOf(segments, count), span });
}

/**
 * The fact a reference names, starting from `root` when given (`the above's total`). When
 * part of it is unknown, the question asks for the whole reference ("What is the vendor's
 * email?"), and the answer creates what is missing.
 */
export function readReference(reference: Reference, scope: Scope, root?: Fact): Fact {
  const segments = reference.segments;
  let fact = root ?? readRoot(segments, scope);
  for (let index = 1; index < segments.length; index++) {
    fact = readAttribute(fact, segments, index);
  }
  return fact;
}

function readRoot(segments: readonly NameSegment[], scope: Scope): Fact {
  const segment = segments[0];
  if (segment.ordinal) {
    const listName = pluralOf(segment.ordinal.noun);
    const holder = scope.lookup(listName) ?? scope.lookup(segment.ordinal.noun);
    if (!holder && segments.length > 1) throw unknown(segments, segments.length);
    if (!holder) throw new UnknownFact({ segments: [{ name: listName, span: segment.span }], text: `the ${listName}`, span: segment.span });
    return item(holder, segment, `the ${listName}`);
  }
  const fact = scope.lookup(segment.name);
  if (!fact) throw unknown(segments, segments.length);
  return fact;
}

function item(holder: Fact, segment: NameSegment, listText: string): Fact {
  const ordinal = segment.ordinal!;
  if (holder.value.kind !== "list") {
    throw new RuntimeError(`"the ${segment.name}" picks an item of ${listText}, but ${listText} is ${describeKind(holder.value)}, not a list.`, segment.span, "fix: make it a list with `are`, as in `the vendors are \"A\" and \"B\"`.");
  }
  const items = holder.value.items;
  const index = ordinal.index === -1 ? items.length : ordinal.index;
  if (index < 1 || index > items.length) {
    const count = items.length === 1 ? "1 item" : `${items.length} items`;
    throw new RuntimeError(`There is no ${ordinalWord(ordinal.index)} ${ordinal.noun}: ${listText} have ${count}.`, segment.span, `fix: check the number of items first, as in \`if the number of ${listText.replace(/^the /, "")} is at least ${index}\`.`);
  }
  return items[index - 1];
}

function readAttribute(parent: Fact, segments: readonly NameSegment[], index: number): Fact {
  const segment = segments[index];
  const value = parent.value;
  if (value.kind === "document" && !segment.ordinal) {
    const own = documentOwnAttribute(value, segment.name);
    if (own !== undefined) return new Fact(own);
  }
  if (value.kind === "document" && !documentAttributeNames.includes(segment.name)) return documentFieldRead(parent, value, segments, index);
  if ((value.kind === "date" || value.kind === "text") && !segment.ordinal && !parent.attribute(segment.name)) {
    const own = dateOwnAttribute(value, segment.name);
    if (own !== undefined) return new Fact(own);
    if (value.kind === "text" && dateAttributeNames.includes(segment.name) && looksLikeIsoDate(value.text)) {
      throw new RuntimeError(`${subjectOf(segments, index)} is "${value.text}", which is not a date: ${isoDateProblem(value.text)}, so it has no ${segment.name}.`, segment.span, 'fix: write the date as yyyy-MM-dd, such as "2024-11-05".');
    }
  }
  if (segment.ordinal) {
    const listName = pluralOf(segment.ordinal.noun);
    const holder = parent.attribute(listName) ?? parent.attribute(segment.ordinal.noun);
    if (holder) return item(holder, segment, `${subjectOf(segments, index)}'s ${listName}`);
  } else {
    const found = parent.attribute(segment.name);
    if (found) return found;
    if (value.kind === "list" && value.items.some((entry) => entry.hasAttributes())) return eachItems(value, segment.name);
    if (value.kind === "list") {
      const own = eachDocumentAttribute(value, segment.name);
      if (own !== undefined) return own;
    }
  }
  if (!parent.hasAttributes() && value.kind !== "nothing" && value.kind !== "list") {
    const owner = subjectOf(segments, index);
    throw new RuntimeError(
      `${owner} is ${describeKind(value)} ("${display(value)}") with no attributes, so it has no "${segment.name}".`,
      segment.span,
      `fix: set it first, as in \`${owner}'s ${segment.name} is …\`, or use ${owner} itself.`,
    );
  }
  throw unknown(segments, segments.length);
}

/** `the documents' file names`, `the files' sizes`: an own attribute of every document of a list of documents. */
function eachDocumentAttribute(value: ListValue, name: string): Fact | undefined {
  if (value.items.length === 0 || !value.items.every((entry) => entry.value.kind === "document")) return undefined;
  const singular = singularOf(name);
  const wanted = documentAttributeNames.includes(name) ? name : documentAttributeNames.includes(singular) ? singular : undefined;
  if (wanted === undefined) return undefined;
  return new Fact(list(value.items.map((entry) => documentOwnAttribute(entry.value as DocumentValue, wanted)!)));
}

/**
 * `the invoice's total` on a document: an attribute set on its fact (an answer) first, then the
 * field the model read from it; a field the model could not find is unknown (a question, or
 * `nothing` for `find`); one not asked for yet stops the statement (see document-fields.ts).
 */
function documentFieldRead(parent: Fact, document: DocumentValue, segments: readonly NameSegment[], index: number): Fact {
  const segment = segments[index];
  const set = parent.attribute(segment.name);
  if (set) return set;
  const field = documentField(document, segment.name);
  if (field === null) throw unknown(segments, index + 1);
  if (field) return field;
  const kept = segments.slice(0, index + 1);
  const reference = { segments: kept, text: subjectOf(segments, index + 1), span: { ...kept[0].span, end: segment.span.end } };
  throw new DocumentFieldNeeded(document, segment.name, ownerKey(segments[index - 1]), reference);
}

/** `the invoices' totals`: the attribute of every item of a list. */
function eachItems(value: ListValue, name: string): Fact {
  const singular = singularOf(name);
  return new Fact(list(value.items.map((entry) => entry.attribute(name) ?? entry.attribute(singular) ?? new Fact(NOTHING))));
}

/**
 * Writes through a reference, creating what is missing: `the invoice's status is …` creates
 * the attribute (and the invoice); `the first field is …` builds the list `the fields`.
 * A record (a fact with attributes) is bound as it is, so changes through either name show;
 * a plain value makes a new fact that keeps the old one's attributes, so another name bound to
 * the old fact (a returned record, a list item) is left as it was.
 */
export function assignReference(reference: Reference, value: Fact, scope: Scope): void {
  storeReference(reference, value, scope);
}

/**
 * `use the invoice as the current invoice`: the target names the very fact the source names, so
 * changes made through either name are seen through both, later assignments of a value too.
 */
export function bindAlias(reference: Reference, fact: Fact, scope: Scope): void {
  markAliased(fact);
  storeReference(reference, fact, scope, true);
}

/** `assignReference`, giving the fact now stored under the name (undefined when the name picks a list item). */
export function storeReference(reference: Reference, value: Fact, scope: Scope, bind = false): Fact | undefined {
  const segments = reference.segments;
  const root = segments[0];
  if (segments.length === 1 && !root.ordinal) {
    const stored = rebound(scope.facts.get(root.name), value, bind);
    scope.set(root.name, stored);
    return stored;
  }
  let holder: Fact;
  if (root.ordinal) {
    const listName = pluralOf(root.ordinal.noun);
    let listFact = scope.lookup(listName);
    if (!listFact) {
      listFact = new Fact(list([]));
      scope.set(listName, listFact);
    }
    if (segments.length === 1) {
      setItem(listFact, root, value, `the ${listName}`);
      return undefined;
    }
    holder = itemForWrite(listFact, root, `the ${listName}`);
  } else {
    holder = scope.lookup(root.name) ?? createRoot(root.name, scope);
  }
  for (let index = 1; index < segments.length; index++) {
    const segment = segments[index];
    const last = index === segments.length - 1;
    if (segment.ordinal) {
      const listName = pluralOf(segment.ordinal.noun);
      let listFact = holder.attribute(listName);
      if (!listFact) {
        listFact = new Fact(list([]));
        holder.setAttribute(listName, listFact);
      }
      if (last) {
        setItem(listFact, segment, value, `${subjectOf(segments, index)}'s ${listName}`);
        return undefined;
      }
      holder = itemForWrite(listFact, segment, `${subjectOf(segments, index)}'s ${listName}`);
      continue;
    }
    const existing = holder.attribute(segment.name);
    if (last) {
      const stored = rebound(existing, value, bind);
      holder.setAttribute(segment.name, stored);
      return stored;
    }
    holder = existing ?? createAttribute(holder, segment.name);
  }
  return undefined;
}

function rebound(existing: Fact | undefined, value: Fact, bind: boolean): Fact {
  if (bind) return value;
  // A name made another name by `use … as …`: the one fact changes, so both names see it.
  if (existing !== undefined && existing !== value && isAliased(existing)) {
    existing.value = value.value;
    if (value.hasAttributes()) existing.attributes = value.attributes;
    return existing;
  }
  if (value.hasAttributes()) return value;
  const stored = new Fact(value.value, existing?.attributes ? new Map(existing.attributes) : undefined);
  if (existing?.attributes) carryKeys(existing, stored); // the attributes kept keep the keys they were read with
  return stored;
}

function createRoot(name: string, scope: Scope): Fact {
  const fact = new Fact();
  scope.set(name, fact);
  return fact;
}

function createAttribute(holder: Fact, name: string): Fact {
  const fact = new Fact();
  holder.setAttribute(name, fact);
  return fact;
}

/** The position an ordinal writes to: `last` is the last item, or the first of an empty list. */
function writeIndex(items: readonly Fact[], segment: NameSegment): number {
  return segment.ordinal!.index === -1 ? Math.max(items.length, 1) : segment.ordinal!.index;
}

function itemForWrite(listFact: Fact, segment: NameSegment, listText: string): Fact {
  const items = listItems(listFact, segment, listText);
  const index = writeIndex(items, segment);
  if (index === items.length + 1) {
    const added = new Fact();
    itemAdded(listFact.value as ListValue, added);
    items.push(added);
  }
  return item(listFact, { ...segment, ordinal: { ...segment.ordinal!, index } }, listText);
}

function setItem(listFact: Fact, segment: NameSegment, value: Fact, listText: string): void {
  const items = listItems(listFact, segment, listText);
  const index = writeIndex(items, segment);
  if (index === items.length + 1) {
    const added = value.hasAttributes() ? value : new Fact(value.value);
    itemAdded(listFact.value as ListValue, added);
    items.push(added);
    return;
  }
  const target = item(listFact, { ...segment, ordinal: { ...segment.ordinal!, index } }, listText);
  itemChanged(listFact.value, target.value, value.value);
  if (value.hasAttributes()) items[index - 1] = value;
  else target.value = value.value;
}

function listItems(listFact: Fact, segment: NameSegment, listText: string): Fact[] {
  if (listFact.value.kind === "nothing") listFact.value = list([]);
  if (listFact.value.kind !== "list") {
    throw new RuntimeError(`I can't set "the ${segment.name}": ${listText} is ${describeKind(listFact.value)}, not a list.`, segment.span, "fix: use another name for the list, or make it a list with `are`.");
  }
  const items = listFact.value.items;
  const index = segment.ordinal!.index;
  if (index > items.length + 1) {
    throw new RuntimeError(`I can't set the ${ordinalWord(index)} ${segment.ordinal!.noun} yet: ${listText} have ${items.length} item${items.length === 1 ? "" : "s"}.`, segment.span, `fix: set the ${ordinalWord(items.length + 1)} ${segment.ordinal!.noun} first.`);
  }
  return items;
}
