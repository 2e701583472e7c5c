import type { CheckedProgram } from "../check/check-script.js";
import { usesOf } from "../check/fact-uses.js";
import type { Statement } from "../syntax/ast.js";
import { factToJson, type Json } from "../runtime/display.js";
import type { Fact } from "../runtime/values.js";

/**
 * The run's facts as the JSON contract shows them (docs/json-contract.md): the facts the script
 * names, with money and percentages keeping their unit. A fact the language sets on its own at the
 * top level is a working value, left out: the item of a `for each` loop once the loop is over, and
 * `the result` (`the results`) a procedure call leaves when it has no `as the …`. Such a name is
 * kept when a line of the script also sets it by name (`the result is …`, `… as the item`).
 */
export function namedFacts(program: CheckedProgram, facts: ReadonlyMap<string, Fact>): Record<string, Json> {
  const working = workingNames(program);
  const shown: Record<string, Json> = {};
  for (const [name, fact] of facts) if (!working.has(name)) shown[name] = factToJson(fact, "names", "kept");
  return shown;
}

/**
 * The names set at the top level only by a loop's item (or by lines inside that loop, which change
 * the item: `make the code uppercase`) or by a call's unnamed result.
 */
function workingNames(program: CheckedProgram): Set<string> {
  const implicit = new Set<string>();
  const named = new Set<string>();
  const visit = (statements: readonly Statement[], items: ReadonlySet<string>): void => {
    for (const statement of statements) {
      const unnamed = implicitName(statement, program);
      for (const use of usesOf(statement, program)) {
        if (use.kind !== "set") continue;
        for (const name of use.alias === undefined ? [use.name] : [use.name, use.alias]) (name === unnamed || items.has(name) ? implicit : named).add(name);
      }
      for (const body of blocksOf(statement)) visit(body, statement.kind === "each" ? new Set([...items, statement.item]) : items);
    }
  };
  for (const script of program.scripts) visit(script.statements, new Set());
  for (const name of named) implicit.delete(name);
  return implicit;
}

/** The blocks of statements a statement holds (as `statementsIn` walks them). */
function blocksOf(statement: Statement): ReadonlyArray<readonly Statement[]> {
  switch (statement.kind) {
    case "if": return [...statement.branches.map((branch) => branch.body), ...(statement.otherwise ? [statement.otherwise] : [])];
    case "each":
    case "repeat": return [statement.body];
    default: return [];
  }
}

/** The name a statement sets without the script writing it: a loop's item, a user procedure's `result`. */
function implicitName(statement: Statement, program: CheckedProgram): string | undefined {
  if (statement.kind === "each") return statement.item;
  if (statement.kind !== "call" || statement.resultName !== undefined) return undefined;
  const match = program.calls.get(statement);
  if (!match) return undefined;
  const inPlace = match.entry.changesInPlace ? match.arguments.get(match.entry.changesInPlace) : undefined;
  if (inPlace?.kind === "reference") return undefined;
  const name = match.entry.resultName;
  return name === "result" || name === "results" ? name : undefined;
}
