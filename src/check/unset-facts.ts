import { warning, type Diagnostic } from "../syntax/diagnostic.js";
import { statementsIn } from "../syntax/walk.js";
import type { CheckedProgram } from "./check-script.js";
import { CloseNames } from "./close-names.js";
import type { Statement } from "../syntax/ast.js";
import { namesOf, setFacts, usesOf, type FactUse } from "./fact-uses.js";

/**
 * `prose check`'s warnings about facts read but never set (§10.5): a fact that no line sets, that
 * is no procedure's input, no parameter-block line, no loop's item, no result and never asked
 * (`get`, a failing `ensure`), and whose name is close to one that is set, is most likely a typo:
 * `the invoice totl` → "did you mean the invoice total". The same holds for an attribute
 * (`the invoice's totl` when the script sets `the invoice's total`). A fact close to nothing
 * stays silent: the run asks for it (it is an input, see `expectedInputs`) — unless the line is only
 * that name, which reads like a step whose verb is missing (`lone-name`).
 *
 * Each name is reported once, where it is first read. The cost is linear in the script: names
 * are looked up in a `CloseNames` index, never compared pair by pair.
 */
export function unsetFactWarnings(program: Pick<CheckedProgram, "scripts" | "calls">): Diagnostic[] {
  // Each statement's uses are worked out once, for the three passes below.
  const known = new Map<Statement, FactUse[]>();
  const usesFor = (statement: Statement): FactUse[] => {
    let uses = known.get(statement);
    if (uses === undefined) known.set(statement, (uses = [...usesOf(statement, program)]));
    return uses;
  };
  const set = setFacts(program, usesFor);
  const asked = askedNames(program, usesFor);
  let names: CloseNames | undefined;
  const attributeIndexes = new Map<string, CloseNames>();
  const reported = new Set<string>();
  const warnings: Diagnostic[] = [];
  for (const script of program.scripts) {
    for (const body of [script.statements, ...script.definitions.map((definition) => definition.body)]) {
      for (const statement of statementsIn(body)) {
        for (const use of usesFor(statement)) {
          if (use.kind !== "read") continue;
          const candidates = namesOf(use.reference);
          if (!candidates.some((name) => set.names.has(name) || asked.has(name))) {
            const written = use.reference.segments[0].name;
            if (reported.has(written)) continue;
            reported.add(written);
            names ??= new CloseNames(set.names);
            // The name as written first (`the first nmae` → `the first name`), then the list it may be an item of.
            const close = [written, ...candidates].map((name) => names!.closest(name)).find((found) => found !== undefined);
            if (close === undefined) {
              if (statement.kind === "name" && statement.value.kind === "reference") warnings.push(loneName(use.reference.text, use.reference.span));
              continue;
            }
            warnings.push(
              warning("unset-fact", use.reference.span, `"the ${written}" is read here but never set.`, [
                `did you mean: the ${close}`,
                `fix: correct the name, or set "the ${written}" (or give it with --input) if it is another fact.`,
              ]),
            );
            continue;
          }
          // A possessive on a fact that is set: its attribute, when no line sets it and one close to it is set on the same fact.
          if (use.reference.segments.length < 2) continue;
          const attribute = use.reference.segments[1].name;
          if (set.attributes.has(attribute)) continue;
          const owner = candidates.find((name) => set.attributesByName.has(name));
          if (owner === undefined) continue;
          const key = `${owner}'s ${attribute}`;
          if (reported.has(key)) continue;
          reported.add(key);
          let index = attributeIndexes.get(owner);
          if (index === undefined) attributeIndexes.set(owner, (index = new CloseNames(set.attributesByName.get(owner)!)));
          const close = index.closest(attribute);
          if (close === undefined) continue;
          warnings.push(
            warning("unset-fact", use.reference.segments[1].span, `"the ${key}" is read here but no line sets it.`, [
              `did you mean: the ${owner}'s ${close}`,
              `fix: correct the name, or set "the ${key}" if the ${owner} really has it.`,
            ]),
          );
        }
      }
    }
  }
  return warnings;
}

/**
 * A line that is only a name whose fact nothing sets (`the order arrives`): most likely a step
 * written without its verb, which would only ask for that fact's value at run time.
 */
function loneName(text: string, span: Diagnostic["span"]): Diagnostic {
  return warning("lone-name", span, `This line only reads "${text}", which the script never sets.`, [
    "fix: a line that is only a name just gives its value to `the above`; write what should happen (`the order's status is \"arrived\"`, or a procedure's call), or give the fact with --input if it is one.",
  ]);
}

/** Names a `get` or a failing `ensure` asks for: they are never reported. */
function askedNames(program: Pick<CheckedProgram, "scripts" | "calls">, usesFor: (statement: Statement) => FactUse[]): Set<string> {
  const asked = new Set<string>();
  for (const script of program.scripts) {
    for (const body of [script.statements, ...script.definitions.map((definition) => definition.body)]) {
      for (const statement of statementsIn(body)) for (const use of usesFor(statement)) if (use.kind === "get") for (const name of namesOf(use.reference)) asked.add(name);
    }
  }
  return asked;
}
