import type { Expression, Reference, Statement } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import { pluralOf } from "../syntax/plurals.js";
import { referenceFromName } from "../syntax/name-reference.js";
import { expressionsOf, referencesIn, rootName, statementsIn } from "../syntax/walk.js";
import type { CheckedProgram } from "./check-script.js";
import { askChoices } from "./ask-choices.js";
import { loopCollection } from "./loop-collection.js";
import { definitionPattern } from "./procedure-pattern.js";
import { documentAttributeNames } from "./document-field-plan.js";

/**
 * How a statement uses a fact, in the order the statement does it (the value is read before the
 * target is set): what `prose check` reads to find facts read but never set, and the facts a
 * script expects from outside (`--inputs`).
 *
 * - `read`: the value is read; a fact never set becomes a question when the run reaches it;
 * - `get`: `get the vendor's email`: read, and asked when it is not known;
 * - `set`: the fact (its root name, and the attribute when the target has a possessive) gets a value.
 */
export type FactUse =
  | { kind: "read" | "get"; reference: Reference; span: Span }
  | { kind: "set"; name: string; alias?: string; attribute?: string; span: Span };

/** Fixed result names the language gives without a line that names them. */
const ALWAYS_SET = ["answer", "result", "results"];

/** The names a reference may stand for: `first vendor` is `vendors` (v0) or the fact `first vendor` (v1). */
export function namesOf(reference: Reference): string[] {
  const root = rootName(reference, pluralOf);
  const written = reference.segments[0].name;
  return root === written ? [root] : [root, written];
}

function setOf(reference: Reference, span: Span): FactUse {
  const names = namesOf(reference);
  const attribute = reference.segments.length > 1 ? reference.segments[1].name : undefined;
  const use: FactUse = { kind: "set", name: names[0], span };
  if (names[1] !== undefined) use.alias = names[1];
  if (attribute !== undefined) use.attribute = attribute;
  return use;
}

function* reads(expression: Expression, kind: "read" | "get" = "read"): Generator<FactUse> {
  for (const reference of referencesIn(expression)) yield { kind, reference, span: reference.span };
}

/** Every use of a fact by one statement (not those of the statements in its block), in order. */
export function* usesOf(statement: Statement, program: Pick<CheckedProgram, "calls">): Generator<FactUse> {
  switch (statement.kind) {
    case "assign":
      yield* reads(statement.value);
      yield setOf(statement.target, statement.target.span);
      return;
    case "each":
      yield* reads(loopCollection(statement));
      yield { kind: "set", name: statement.item, span: statement.itemSpan };
      return;
    case "ask": {
      yield* reads(statement.prompt);
      const choices = askChoices(statement);
      if (choices) yield* reads(choices);
      yield { kind: "set", name: "answer", span: statement.span };
      return;
    }
    case "validate":
      // A failing `ensure` asks for the first fact its condition names.
      for (const check of statement.checks) {
        let first = true;
        for (const reference of referencesIn(check.condition)) {
          yield { kind: first ? "get" : "read", reference, span: reference.span };
          first = false;
        }
      }
      return;
    case "call":
      yield* callUses(statement, program);
      return;
    default:
      for (const expression of expressionsOf(statement)) yield* reads(expression);
  }
}

function* callUses(statement: Extract<Statement, { kind: "call" }>, program: Pick<CheckedProgram, "calls">): Generator<FactUse> {
  for (const line of statement.block) yield* reads(line.value);
  const match = program.calls.get(statement);
  if (!match) return;
  // `get the x` and a typed `get the x as a number` ask for the fact when it is not known.
  const asks = match.entry.standard !== undefined && (match.entry.patternText === "get {name}" || match.entry.patternText.startsWith("get {name} as "));
  for (const [slot, argument] of match.arguments) {
    yield* reads(argument, asks && slot === "name" ? "get" : "read");
    if (asks && argument.kind === "reference") yield setOf(argument.reference, argument.span);
  }
  if (statement.resultName !== undefined) {
    yield setOf(referenceFromName(statement.resultName, statement.span), statement.span);
    return;
  }
  const inPlace = match.entry.changesInPlace ? match.arguments.get(match.entry.changesInPlace) : undefined;
  if (inPlace?.kind === "reference") yield setOf(inPlace.reference, inPlace.span);
  else if (match.entry.resultName !== undefined) yield { kind: "set", name: match.entry.resultName, span: statement.span };
}

/** The names a procedure's body sees without setting them: its inputs. */
export function slotNames(definition: CheckedProgram["script"]["definitions"][number]): string[] {
  return definitionPattern(definition).parts.flatMap((part) => (part.kind === "slot" ? [part.name] : []));
}

/**
 * What a whole program sets, wherever: the names (roots), the attributes set on each root, and
 * every attribute name. Parameter-block lines, procedures' inputs, loop items and result names
 * count; so do the fields an `extract data` block names (`the first field is "total"`).
 */
export interface SetFacts {
  names: Set<string>;
  attributesByName: Map<string, Set<string>>;
  attributes: Set<string>;
}

/** A document's own attributes (§10.2) are always there, and so is `name`, the file name's older spelling. */
const DOCUMENT_ATTRIBUTES = [...documentAttributeNames, "name"];

/** `usesFor`: each statement's uses, when the caller has them already (by default they are worked out here). */
export function setFacts(program: Pick<CheckedProgram, "scripts" | "calls">, usesFor: (statement: Statement) => Iterable<FactUse> = (statement) => usesOf(statement, program)): SetFacts {
  const facts: SetFacts = { names: new Set(ALWAYS_SET), attributesByName: new Map(), attributes: new Set(DOCUMENT_ATTRIBUTES) };
  const addSet = (use: Extract<FactUse, { kind: "set" }>) => {
    for (const name of use.alias === undefined ? [use.name] : [use.name, use.alias]) {
      facts.names.add(name);
      if (use.attribute === undefined) continue;
      facts.attributes.add(use.attribute);
      let attributes = facts.attributesByName.get(name);
      if (attributes === undefined) facts.attributesByName.set(name, (attributes = new Set()));
      attributes.add(use.attribute);
    }
  };
  for (const script of program.scripts) {
    for (const definition of script.definitions) for (const slot of slotNames(definition)) facts.names.add(slot);
    const bodies = [script.statements, ...script.definitions.map((definition) => definition.body)];
    for (const body of bodies) {
      for (const statement of statementsIn(body)) {
        for (const use of usesFor(statement)) if (use.kind === "set") addSet(use);
        if (statement.kind !== "call") continue;
        for (const line of statement.block) {
          addSet(setOf(line.target, line.target.span) as Extract<FactUse, { kind: "set" }>);
          // `the first field is "total"` names an attribute of the result.
          if (line.value.kind === "text" && line.target.segments.length === 1 && line.value.parts.every((part) => typeof part === "string")) {
            facts.attributes.add((line.value.parts as string[]).join("").trim().toLowerCase().replace(/_/g, " ").replace(/\s+/g, " "));
          }
        }
      }
    }
  }
  return facts;
}
