import type { CheckedProgram } from "../check/check-script.js";
import type { Statement } from "../syntax/ast.js";
import type { AnswerType } from "./answer-types.js";
import { isStandardProcedure } from "./procedure.js";
import type { UnknownFact } from "./unknown-fact.js";

/**
 * The type a statement expects of an unknown fact: a typed `get` (`get the spend as a number`)
 * when the unknown fact is the one it gets; any other unknown fact the line meets is asked for
 * without a type.
 */
export function typedGetOf(statement: Statement, unknown: UnknownFact, program: CheckedProgram): AnswerType | undefined {
  if (statement.kind !== "call") return undefined;
  const match = program.calls.get(statement);
  const procedure = match?.entry.standard;
  if (!procedure || !isStandardProcedure(procedure) || procedure.answerType === undefined) return undefined;
  const argument = match.arguments.get("name");
  if (argument?.kind !== "reference") return undefined;
  const wanted = argument.reference.segments;
  const asked = unknown.reference.segments;
  const same = wanted.length === asked.length && wanted.every((segment, index) => segment.name === asked[index].name);
  return same ? procedure.answerType : undefined;
}
