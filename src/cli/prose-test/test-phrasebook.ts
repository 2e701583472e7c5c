import { standardEntry, type Phrasebook } from "../../check/phrasebook.js";
import { display } from "../../runtime/display.js";
import type { ProcedureCall, StandardProcedure } from "../../runtime/procedure.js";
import type { Span } from "../../syntax/span.js";
import type { Fact } from "../../runtime/values.js";
import { describeFact, factContains, factsEqual } from "./expectations.js";
import { standardPhrasebook } from "../../../stdlib/registry.js";

/** What the sentences of a test file do: the runner (run-test-file.ts) gives these. */
export interface TestActions {
  /** `run the script "invoice.prose"` (+ a block of input facts): runs it now. */
  runScript(path: string, inputs: ReadonlyMap<string, Fact>, span: Span): Promise<void>;
  /** `with the input "total" as 1200`. */
  input(name: string, value: Fact): void;
  /** `answer "What is the vendor's email?" with "x@y.z"`: by question text, id, or the fact asked about. */
  answer(question: string, value: Fact): void;
  /** An expectation held (`passed`) or not, with the expected and actual values as shown. */
  expectation(span: Span, passed: boolean, expected: string, actual: string): void;
}

const argument = (call: ProcedureCall, slot: string): Fact => call.arguments.get(slot)!;

/**
 * The sentences of a `*.test.prose` file, as phrasebook entries beside the standard library:
 * they are parsed and resolved like any call sentence, so `prose check` style messages and
 * "did you mean" work in test files too.
 */
export function testPhrasebook(actions: TestActions): Phrasebook {
  const procedures: StandardProcedure[] = [
    { pattern: "test {name}", blockLines: [], description: "Starts a test; the lines up to the next `test` belong to it.", run: () => undefined },
    {
      pattern: "run the script {path}",
      blockLines: [],
      // Any fact line in its block: they are the script's inputs.
      anyBlockLines: true,
      description: "Runs the script (relative to the test file), with the block's fact lines as its inputs.",
      run: async (call) => {
        await actions.runScript(call.resolvePath(display(argument(call, "path").value)), call.block, call.span);
        return undefined;
      },
    },
    {
      pattern: "with the input {name} as {value}",
      blockLines: [],
      description: "Sets a fact before the script runs, as `prose run --input` does.",
      run: (call) => {
        actions.input(display(argument(call, "name").value), argument(call, "value"));
        return undefined;
      },
    },
    {
      pattern: "answer {question} with {answer}",
      blockLines: [],
      description: "Answers a question the script asks (by its text, its id, or the fact it asks about).",
      run: (call) => {
        actions.answer(display(argument(call, "question").value), argument(call, "answer"));
        return undefined;
      },
    },
    {
      pattern: "expect {actual} to be {expected}",
      blockLines: [],
      description: "Passes when the value is equal to the expected one (as `is` compares).",
      run: (call) => {
        const [actual, expected] = [argument(call, "actual"), argument(call, "expected")];
        actions.expectation(call.span, factsEqual(actual, expected), describeFact(expected), describeFact(actual));
        return undefined;
      },
    },
    {
      pattern: "expect {actual} to contain {expected}",
      blockLines: [],
      description: "Passes when the text contains the expected text (case ignored), or the list an equal item.",
      run: (call) => {
        const [actual, expected] = [argument(call, "actual"), argument(call, "expected")];
        actions.expectation(call.span, factContains(actual, expected), `something containing ${describeFact(expected)}`, describeFact(actual));
        return undefined;
      },
    },
  ];
  const phrasebook = standardPhrasebook();
  for (const procedure of procedures) phrasebook.add(standardEntry(procedure));
  return phrasebook;
}
