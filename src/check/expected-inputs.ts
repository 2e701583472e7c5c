import type { Reference, Statement } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import { statementsIn } from "../syntax/walk.js";
import type { CheckedProgram } from "./check-script.js";
import { namesOf, slotNames, usesOf } from "./fact-uses.js";

/**
 * A fact a script expects from outside (`prose check --inputs`): read before any line sets it.
 * `read`: the run asks for it when it reaches that line without it; `get`: the script asks for it
 * on purpose (`get the vendor's email`, or the first fact a failing `ensure` names).
 */
export interface ExpectedInput {
  /** As `--input` takes it: `the vendor's email`. */
  name: string;
  kind: "read" | "get";
  span: Span;
}

/**
 * Every `--input` name a script expects, in the order first read: at the top level, a fact read
 * before any line above it sets it (a line inside an `if` or a loop counts as set for the lines
 * after it); in a procedure, a fact that is not one of its inputs, no caller's parameter-block
 * line, set by no top-level line, and not set by the body before it is read. A possessive on a
 * fact not yet set is listed whole (`the vendor's email`): that is the name `--input` takes.
 */
export function expectedInputs(program: Pick<CheckedProgram, "script" | "scripts" | "calls">): ExpectedInput[] {
  const found = new Map<string, ExpectedInput>();
  const topLevel = new Set<string>();
  listReads(program.script.statements, topLevel, program, found);
  // A procedure sees the script's top-level facts, its inputs and its callers' block lines.
  const blockNames = parameterBlockNames(program);
  for (const script of program.scripts) {
    for (const definition of script.definitions) {
      const known = new Set<string>([...slotNames(definition)]);
      const seenOutside = (name: string) => topLevel.has(name) || blockNames.has(name);
      listReads(definition.body, known, program, found, seenOutside);
    }
  }
  // The script's own first, then each learned file's, each in reading order.
  const fileOrder = new Map(program.scripts.map((script, index) => [script.file, index]));
  const rank = (input: ExpectedInput) => fileOrder.get(input.span.file) ?? fileOrder.size;
  return [...found.values()].sort((a, b) => rank(a) - rank(b) || a.span.start.offset - b.span.start.offset);
}

function listReads(body: readonly Statement[], known: Set<string>, program: Pick<CheckedProgram, "calls">, found: Map<string, ExpectedInput>, seenOutside: (name: string) => boolean = () => false): void {
  for (const statement of statementsIn(body)) {
    for (const use of usesOf(statement, program)) {
      if (use.kind === "set") {
        known.add(use.name);
        if (use.alias !== undefined) known.add(use.alias);
        continue;
      }
      const names = namesOf(use.reference);
      if (names.some((name) => known.has(name) || seenOutside(name))) continue;
      const name = inputName(use.reference);
      if (!found.has(name)) found.set(name, { name, kind: use.kind, span: use.span });
    }
  }
}

function inputName(reference: Reference): string {
  return `the ${reference.segments.map((segment) => segment.name).join("'s ")}`;
}

function parameterBlockNames(program: Pick<CheckedProgram, "scripts">): Set<string> {
  const names = new Set<string>();
  for (const script of program.scripts) {
    for (const body of [script.statements, ...script.definitions.map((definition) => definition.body)]) {
      for (const statement of statementsIn(body)) if (statement.kind === "call") for (const line of statement.block) for (const name of namesOf(line.target)) names.add(name);
    }
  }
  return names;
}
