import type { Expression, Reference, Script, Statement } from "../syntax/ast.js";
import { expressionsOf, referencesIn, statementsIn } from "../syntax/walk.js";
import type { CallMatch } from "./match-call.js";
import { loopCollection } from "./loop-collection.js";
import { askChoices } from "./ask-choices.js";

/**
 * Which fields a script reads through a possessive, per name the owner is held under
 * (`invoice` → `total`, `tax id`, `due date`): when that owner turns out to be a document at run
 * time, the first field read asks the model for all of them in one call (LANGUAGE.md §10.2,
 * src/runtime/document-fields.ts). Fields the script sets itself (`the invoice's status is …`) are
 * left out: they are the script's, not the document's. The runtime leaves out a document's own
 * attributes (`text`, `size`, …). One pass over the script: cost in proportion to its length.
 */
export type DocumentFieldPlan = ReadonlyMap<string, readonly string[]>;

/**
 * A document's own attributes (§10.2), which the runtime answers itself (src/runtime/document-attributes.ts):
 * every other possessive on a document is a field the model reads.
 */
export const documentAttributeNames: readonly string[] = ["file name", "text", "pages", "size", "extension", "path"];

const plans = new WeakMap<object, DocumentFieldPlan>();

/**
 * The plan of a checked program, worked out the first time a run reads a document's field and
 * kept: `prose check`, and a run that reads no field of a document, never pay for it.
 */
export function documentFieldsOf(program: { scripts: readonly Script[]; calls: ReadonlyMap<Statement, CallMatch> }): DocumentFieldPlan {
  let plan = plans.get(program);
  if (!plan) plans.set(program, (plan = documentFieldPlan(program.scripts, program.calls)));
  return plan;
}

export function documentFieldPlan(scripts: readonly Script[], calls: ReadonlyMap<Statement, CallMatch>): DocumentFieldPlan {
  const read = new Map<string, Set<string>>();
  const written = new Map<string, Set<string>>();
  const note = (into: Map<string, Set<string>>, reference: Reference) => {
    const segments = reference.segments;
    for (let index = 1; index < segments.length; index++) {
      const owner = segments[index - 1];
      const key = owner.ordinal ? owner.ordinal.noun : owner.name;
      let fields = into.get(key);
      if (!fields) into.set(key, (fields = new Set()));
      fields.add(segments[index].name);
    }
  };
  const readIn = (expression: Expression) => {
    for (const reference of referencesIn(expression)) note(read, reference);
  };
  for (const script of scripts) {
    const bodies = [script.statements, ...script.definitions.map((definition) => definition.body)];
    for (const body of bodies) {
      for (const statement of statementsIn(body)) {
        for (const expression of expressionsRead(statement, calls)) readIn(expression);
        if (statement.kind === "assign") note(written, statement.target);
      }
    }
  }
  const plan = new Map<string, string[]>();
  for (const [owner, fields] of read) {
    const set = written.get(owner);
    const kept = [...fields].filter((field) => !set?.has(field));
    if (kept.length > 0) plan.set(owner, kept);
  }
  return plan;
}

/** Every expression a statement reads, a call's arguments and block lines included. */
function expressionsRead(statement: Statement, calls: ReadonlyMap<Statement, CallMatch>): Expression[] {
  if (statement.kind === "each") return [loopCollection(statement)];
  if (statement.kind === "ask") {
    const choices = askChoices(statement);
    return choices ? [statement.prompt, choices] : [statement.prompt];
  }
  if (statement.kind === "call") {
    const match = calls.get(statement);
    return [...(match ? match.arguments.values() : []), ...expressionsOf(statement)];
  }
  return expressionsOf(statement);
}
