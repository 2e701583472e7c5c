import type { CheckedProgram } from "../check/check-script.js";
import { formatLocation, type Span } from "../syntax/span.js";
import { factToJson, type Json } from "./display.js";
import { RunStopped, RuntimeError, ScriptFailure, StopSignal } from "./errors.js";
import { Interpreter, type InterpreterOptions } from "./interpreter.js";
import { QuestionsPending, type AnswerSource, type Question } from "./questions.js";
import type { RunContext } from "./run-context.js";
import type { Fact } from "./values.js";
import type { Reference } from "../syntax/ast.js";

export type RunStatus = "done" | "failed" | "waiting";

export interface RunError {
  message: string;
  at: string | null;
  fix?: string;
  /** Where, for showing the source line under the message; not part of the JSON output. */
  span?: Span;
}

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
  const result = (status: RunStatus, error: RunError | null = null, questions: Question[] = []): RunResult => ({
    ...(runId === undefined ? {} : { runId }),
    status,
    usage,
    output,
    facts: Object.fromEntries([...interpreter.globals.facts].map(([name, fact]) => [name, factToJson(fact)])),
    questions,
    error,
  });
  try {
    await interpreter.run();
    return result("done");
  } catch (problem) {
    if (problem instanceof StopSignal) return result("done");
    if (problem instanceof QuestionsPending) return result("waiting", null, problem.questions);
    if (problem instanceof RuntimeError) return result("failed", { message: problem.message, at: formatLocation(problem.span), fix: problem.fix, span: problem.span });
    if (problem instanceof ScriptFailure) return result("failed", { message: problem.message, at: formatLocation(problem.span), span: problem.span });
    if (problem instanceof RunStopped) return result("failed", problem.span === undefined ? { message: problem.message, at: null } : { message: problem.message, at: formatLocation(problem.span), span: problem.span });
    const message = problem instanceof Error ? problem.message : String(problem);
    return result("failed", { message: `Prose hit an internal error: ${message}. Please report it with the script that caused it.`, at: null });
  }
}

function inputReference(name: string, file: string): Reference {
  const cleaned = name.trim().replace(/^the\s+/i, "").toLowerCase().replace(/\s+/g, " ");
  const span = { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  const segments = cleaned.split(/['’]s\s+/).map((segmentName) => ({ name: segmentName, span }));
  return { segments, text: `the ${cleaned}`, span };
}
