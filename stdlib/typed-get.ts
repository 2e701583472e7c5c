import type { AnswerType } from "../src/runtime/answer-types.js";
import { typedFact } from "../src/runtime/answer-types.js";
import type { StandardProcedure } from "../src/runtime/procedure.js";
import { argument } from "./arguments.js";

/**
 * `get the vendor's annual spend as a number`: a `get` that states the type it expects. When
 * the fact is unknown, its question says the type and checks the answer (a wrong one keeps the
 * question open, saying why); a known value is read as the type (`"1,200"` as 1200) and kept
 * so, in place. `as the <name>` after it names the result instead, as for any call. As text (or
 * `as a string`), a record or a list is its JSON text, its keys as they were read (`due_date`).
 */
function typedGet(words: string, type: AnswerType, shown: string): StandardProcedure {
  return {
    pattern: `get {name} as ${words}`,
    changesInPlace: "name",
    answerType: type,
    blockLines: [],
    description: `Fetches a value as ${shown}; if it is not known, the run asks for it and checks the answer.`,
    run: (call) => {
      const fact = argument(call, "name");
      const typed = typedFact(type, fact);
      if ("problem" in typed) return call.fail(`I expected ${shown} here: ${typed.problem}`, `fix: give ${shown}, or get it without \`as ${words}\`.`);
      return typed;
    },
  };
}

export const typedGetProcedures: StandardProcedure[] = [
  typedGet("a number", "number", "a number"),
  typedGet("a date", "date", "a date"),
  typedGet("text", "text", "a text"),
  typedGet("a string", "text", "a text"),
  typedGet("yes or no", "yes or no", "yes or no"),
  typedGet("a boolean", "yes or no", "yes or no"),
  typedGet("a list", "list", "a list"),
];
