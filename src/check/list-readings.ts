import type { CallStatement, Expression, NameSegment, Reference, Script, Statement } from "../syntax/ast.js";
import { referenceFromName } from "../syntax/name-reference.js";
import { pluralOf } from "../syntax/plurals.js";
import type { Span } from "../syntax/span.js";
import { expressionsOf, expressionsWithin, referencesIn, statementsIn } from "../syntax/walk.js";
import { loopCollection } from "./loop-collection.js";
import type { CallMatch } from "./match-call.js";

/**
 * Whether `the first name` is item 1 of `the names` or the plain fact `first name` (LANGUAGE.md
 * §10.1). The grammar marks every name that starts with an ordinal word as a possible list
 * position (`NameSegment.ordinal`); this pass decides, once per script, and removes the mark
 * where the name is a plain fact, so the runtime reads the checked program and never guesses.
 *
 * A list position is where the script (its learned files, earlier REPL inputs) treats the name as
 * a list: it speaks of the plural itself (`the names`, `the number of names`, a loop over them,
 * `… as the names`), or of two positions of it that are not only `first` and `last` (`the first
 * name` and `the second name`), or uses the singular itself whole as a list (`for each entry in the
 * timesheet`, `the number of the checklist`: `the first timesheet` is its item 1), or the name is a line of a call's block whose procedure takes
 * that list (`the first field is …` under `extract data`). The same holds after a possessive,
 * with the owner written the same way (`the customer's names` makes `the customer's last name`
 * a list position).
 */

/** What the script says about lists: plurals spoken of, and the positions written of each noun. */
export class ListEvidence {
  /** `owner|plural` keys: "|names", "customer|names". */
  readonly plurals = new Set<string>();
  /** Positions written, by `owner|plural`: {1, -1} for `first name` and `last name`. */
  readonly positions = new Map<string, Set<number>>();
  /**
   * Names used whole as a list, by `owner|name` as written: a loop's list (`for each entry in
   * the timesheet`) or an aggregate's (`the number of the checklist`). `the first timesheet` is
   * then item 1 of the timesheet itself, as when the plural is spoken of.
   */
  readonly wholeLists = new Set<string>();

  /** Adds what another evidence holds (the REPL keeps what earlier inputs said). */
  addAll(other: ListEvidence): void {
    for (const key of other.plurals) this.plurals.add(key);
    for (const key of other.wholeLists) this.wholeLists.add(key);
    for (const [key, indexes] of other.positions) for (const index of indexes) this.position(key, index);
  }

  position(key: string, index: number): void {
    let indexes = this.positions.get(key);
    if (!indexes) this.positions.set(key, (indexes = new Set()));
    indexes.add(index);
  }

  /** Whether `owner|plural` is a list, or `owner|noun` (the singular as written) is used whole as one. */
  isList(key: string, singularKey?: string): boolean {
    if (this.plurals.has(key)) return true;
    if (singularKey !== undefined && this.wholeLists.has(singularKey)) return true;
    const indexes = this.positions.get(key);
    if (!indexes || indexes.size < 2) return false;
    return [...indexes].some((index) => index !== 1 && index !== -1);
  }
}

/** Which reading check chose for one name that starts with an ordinal word, for `prose check --explain`. */
export interface ListReading {
  /** The name as written: "the first name". */
  text: string;
  list: boolean;
  /** The list it would be a position of: "the names", "the customer's names". */
  listText: string;
  /** The plain fact it would be otherwise: `the fact "first name"`, `the customer's attribute "last name"`. */
  plainText: string;
  span: Span;
}

interface Site {
  reference: Reference;
  /** Block lines of a call whose procedure takes these lists (`fields` under `extract data`). */
  takes?: readonly string[];
}

/**
 * Decides every ordinal name of the scripts: one pass to gather what the scripts say, one over
 * the ordinal names found. `earlier` is what earlier inputs said (the REPL); what these scripts
 * say is added to it.
 */
export function settleListReadings(scripts: readonly Script[], calls: ReadonlyMap<CallStatement, CallMatch>, earlier: ListEvidence = new ListEvidence()): ListReading[] {
  const evidence = earlier;
  const sites: Site[] = [];
  const visit = (reference: Reference, takes?: readonly string[]) => {
    gather(reference, evidence);
    if (reference.segments.some((segment) => segment.ordinal)) sites.push(takes ? { reference, takes } : { reference });
  };
  for (const script of scripts) {
    for (const statement of statementsIn(script.statements)) visitStatement(statement, calls, visit, evidence);
    for (const definition of script.definitions) for (const statement of statementsIn(definition.body)) visitStatement(statement, calls, visit, evidence);
  }
  const readings: ListReading[] = [];
  for (const site of sites) decide(site, evidence, readings);
  return readings;
}

function visitStatement(statement: Statement, calls: ReadonlyMap<CallStatement, CallMatch>, visit: (reference: Reference, takes?: readonly string[]) => void, evidence: ListEvidence): void {
  const expressions = statement.kind === "each" ? [loopCollection(statement)] : expressionsOf(statement);
  if (statement.kind === "each") wholeList(expressions[0], evidence);
  for (const expression of expressions) {
    for (const within of expressionsWithin(expression)) {
      if (within.kind === "reference") visit(within.reference);
      else if (within.kind === "aggregate") wholeList(within.operand, evidence);
    }
  }
  if (statement.kind === "assign") visit(statement.target);
  if (statement.kind === "ask") for (const line of statement.block) visit(line.target);
  if (statement.kind !== "call") return;
  const match = calls.get(statement);
  for (const line of statement.block) visit(line.target, match?.entry.blockLines);
  for (const argument of match?.arguments.values() ?? []) for (const reference of referencesIn(argument)) visit(reference);
  if (statement.resultName) visit(resultReference(statement));
  if (match?.entry.resultName) visit(referenceFromName(match.entry.resultName, statement.span));
}

const resultReferences = new WeakMap<CallStatement, Reference>();

/** `… as the first name`: the name a call's result goes to, read once and settled here with the others. */
export function resultReference(call: CallStatement): Reference {
  let reference = resultReferences.get(call);
  if (!reference) {
    reference = referenceFromName(call.resultName ?? "above", call.span);
    resultReferences.set(call, reference);
  }
  return reference;
}

/** A loop's or an aggregate's list written as a name (`the timesheet`): that name is used whole as a list. */
function wholeList(expression: Expression, evidence: ListEvidence): void {
  if (expression.kind !== "reference") return;
  const segments = expression.reference.segments;
  const last = segments[segments.length - 1];
  if (!last.ordinal) evidence.wholeLists.add(`${ownerKey(segments, segments.length - 1)}|${last.name}`);
}

function ownerKey(segments: readonly NameSegment[], count: number): string {
  return segments.slice(0, count).map((segment) => segment.name).join("'s ");
}

function gather(reference: Reference, evidence: ListEvidence): void {
  const segments = reference.segments;
  // The owner's key grows by one segment each step: ownerKey(segments, index) without slicing again.
  let owner = "";
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (segment.ordinal) evidence.position(`${owner}|${pluralOf(segment.ordinal.noun)}`, segment.ordinal.index);
    else evidence.plurals.add(`${owner}|${segment.name}`);
    owner = index === 0 ? segment.name : `${owner}'s ${segment.name}`;
  }
}

function decide(site: Site, evidence: ListEvidence, readings: ListReading[]): void {
  const segments = site.reference.segments;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (!segment.ordinal) continue;
    const plural = pluralOf(segment.ordinal.noun);
    const owner = ownerKey(segments, index);
    const list = evidence.isList(`${owner}|${plural}`, `${owner}|${segment.ordinal.noun}`) || (index === 0 && site.takes?.includes(plural) === true);
    const listText = owner === "" ? `the ${plural}` : `the ${owner}'s ${plural}`;
    const plainText = owner === "" ? `the fact "${segment.name}"` : `the ${owner}'s attribute "${segment.name}"`;
    readings.push({ text: owner === "" ? `the ${segment.name}` : `the ${owner}'s ${segment.name}`, list, listText, plainText, span: segment.span });
    if (!list) delete segment.ordinal;
  }
}
