import type { ModelResolver } from "../llm/model-resolver.js";
import type { Answer, Question } from "../runtime/questions.js";
import type { RunContext } from "../runtime/run-context.js";

/**
 * What the caller gives a run: where what the script says and warns goes, the clock, files
 * (inside the caller's confinement), the person answering, progress. Everything but what the
 * session itself makes (the models, the stop signal), which `runContextFor` adds once.
 */
export interface RunHost extends Omit<RunContext, "models" | "signal" | "askPerson"> {
  /** Asks a person; `signal` aborts the question when the run is stopped. */
  askPerson?: (question: Question, signal: AbortSignal | undefined) => Promise<Answer>;
}

/** What the session adds to a host: the run's models and its stop signal. */
export interface RunServices {
  models?: ModelResolver;
  signal?: AbortSignal;
}

/** The run's context, made once and complete: the host's world with the session's models and signal. */
export function runContextFor(host: RunHost, services: RunServices): RunContext {
  const { askPerson, ...world } = host;
  const { models, signal } = services;
  return {
    ...world,
    ...(askPerson === undefined ? {} : { askPerson: (question: Question) => askPerson(question, signal) }),
    ...(models === undefined ? {} : { models }),
    ...(signal === undefined ? {} : { signal }),
  };
}
