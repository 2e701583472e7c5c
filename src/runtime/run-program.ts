import type { CheckedProgram } from "../check/check-script.js";
import { spokenName } from "../syntax/proper-names.js";
import { factToJson, type Json } from "./display.js";
import { Interpreter, type InterpreterOptions } from "./interpreter.js";
import type { AnswerSource, Question } from "./questions.js";
import { runDone, runEndOf, type RunEnd, type RunError, type RunStatus } from "./run-outcome.js";
import type { RunContext } from "./run-context.js";
import type { Fact } from "./values.js";
import type { Reference } from "../syntax/ast.js";

export type { RunError, RunStatus } from "./run-outcome.js";

/** The model attempts a run made (every attempt counts: first tries and repairs). */
export interface RunUsage {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface RunResult {
  /** The run's id when it keeps a journal (`run-20250101T093000-k3x9qa`). */
  runId?: string;
  status: RunStatus;
  usage: RunUsage;
  output: string[];
  facts: Record<string, Json>;
  questions: Question[];
  error: RunError | null;
}

export interface RunInput {
  /** "the customer", or "customer"; possessives allowed ("the invoice's total"). */
  name: string;
  value: Fact;
}

export interface ProgramOptions extends InterpreterOptions {
  runId?: string;
}

/**
 * Runs a checked program to its end, a failure, or a question nobody could answer yet. With a
 * journal, each step is journaled, and steps an earlier attempt journaled are replayed.
 */
export async function runProgram(program: CheckedProgram, context: RunContext, answers: AnswerSource, inputs: RunInput[] = [], options: ProgramOptions = {}): Promise<RunResult> {
  return (await runProgramWithFacts(program, context, answers, inputs, options)).result;
}

/** As `runProgram`, with the run's top-level facts as values too (`prose test` compares them). */
export async function runProgramWithFacts(program: CheckedProgram, context: RunContext, answers: AnswerSource, inputs: RunInput[] = [], options: ProgramOptions = {}): Promise<{ result: RunResult; facts: ReadonlyMap<string, Fact> }> {
  const output: string[] = [];
  const usage: RunUsage = { modelCalls: 0, inputTokens: 0, outputTokens: 0 };
  const recording: RunContext = {
    ...context,
    say: (line) => {
      output.push(line);
      context.say(line);
    },
    recordModelCall: (call) => {
      usage.modelCalls += 1;
      usage.inputTokens += call.usage.inputTokens ?? 0;
      usage.outputTokens += call.usage.outputTokens ?? 0;
      context.recordModelCall?.(call);
    },
  };
  const { runId, ...interpreterOptions } = options;
  const interpreter = new Interpreter(program, recording, answers, interpreterOptions);
  for (const input of inputs) interpreter.setInput(inputReference(input.name, program.script.file), input.value);
  let end: RunEnd;
  try {
    await interpreter.run();
    end = runDone;
  } catch (problem) {
    end = runEndOf(problem);
  }
  const result: RunResult = {
    ...(runId === undefined ? {} : { runId }),
    status: end.status,
    usage,
    output,
    facts: Object.fromEntries([...interpreter.globals.facts].map(([name, fact]) => [name, factToJson(fact)])),
    questions: end.questions,
    error: end.error,
  };
  return { result, facts: interpreter.globals.facts };
}

/** `customer`, `the customer`, `the invoice's total`, `John's age` (a proper name keeps its case) → a reference to set before a run. */
export function inputReference(name: string, file: string): Reference {
  const trimmed = name.trim().replace(/\s+/g, " ");
  const proper = /^[A-Z\xc0-\xd6\xd8-\xde][^\s'’]*['’]s /.test(trimmed);
  const cleaned = trimmed.replace(/^the\s+/i, "").toLowerCase();
  const span = { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  const segments = cleaned.split(/['’]s\s+/).map((segmentName) => ({ name: segmentName, span }));
  if (proper) segments[0].name = trimmed.slice(0, segments[0].name.length);
  return { segments, text: spokenName(segments.map((segment) => segment.name)), span };
}
