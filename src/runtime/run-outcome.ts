import { formatLocation, type Span } from "../syntax/span.js";
import { RunStopped, RuntimeError, ScriptFailure, StopSignal } from "./errors.js";
import { QuestionsPending, type Question } from "./questions.js";

export type RunStatus = "done" | "failed" | "waiting";

export interface RunError {
  message: string;
  at: string | null;
  fix?: string;
  /** Where, for showing the source line under the message; not part of the JSON output. */
  span?: Span;
}

/** How running statements ended: done, failed (with the error), or waiting (with the questions). */
export interface RunEnd {
  status: RunStatus;
  error: RunError | null;
  questions: Question[];
}

/**
 * The one mapping from however a run ended to its outcome: `stop` and the end are done; a
 * question nobody could answer yet waits; a mistake, `fail "…"`, or a stop from outside (Ctrl-C,
 * SIGTERM, --timeout) fails with an English message and where; anything else is an internal
 * error, told as one.
 */
export function runEndOf(problem: unknown): RunEnd {
  if (problem instanceof StopSignal) return ended("done");
  if (problem instanceof QuestionsPending) return ended("waiting", null, problem.questions);
  if (problem instanceof RuntimeError) return ended("failed", { message: problem.message, at: formatLocation(problem.span), fix: problem.fix, span: problem.span });
  if (problem instanceof ScriptFailure) return ended("failed", { message: problem.message, at: formatLocation(problem.span), span: problem.span });
  if (problem instanceof RunStopped) return ended("failed", problem.span === undefined ? { message: problem.message, at: null } : { message: problem.message, at: formatLocation(problem.span), span: problem.span });
  const message = problem instanceof Error ? problem.message : String(problem);
  return ended("failed", { message: `Prose hit an internal error: ${message}. Please report it with the script that caused it.`, at: null });
}

/** A run that reached its end. */
export const runDone: RunEnd = { status: "done", error: null, questions: [] };

function ended(status: RunStatus, error: RunError | null = null, questions: Question[] = []): RunEnd {
  return { status, error, questions };
}
