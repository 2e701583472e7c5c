import type { CheckedProgram } from "../check/check-script.js";
import type { ModelResolver } from "../llm/model-resolver.js";
import type { Journal } from "../runtime/journal.js";
import type { AnswerSource } from "../runtime/questions.js";
import { runProgramWithFacts, type RunInput, type RunResult } from "../runtime/run-program.js";
import type { Fact } from "../runtime/values.js";
import { runContextFor, type RunHost } from "./run-host.js";

export interface ScriptRunOptions {
  /** The run's world: output, files, the person answering, progress. */
  host: RunHost;
  /** Answers given before the run; the questions they don't answer go to the host's person, or wait. */
  answers: AnswerSource;
  /** Facts set before the run (`--input`, a test's inputs). */
  inputs?: RunInput[];
  /** Where LLM procedures find their models: the router (`startRun`), or a test's replay. */
  models?: ModelResolver;
  /** Stops the run from outside (Ctrl-C, SIGTERM, a timeout). */
  signal?: AbortSignal;
  /** Where steps are journaled and replayed from: the run's file journal, or a test's recording. */
  journal?: Journal;
  runId?: string;
  /** Iterations of a parallel loop at once. */
  concurrency?: number;
}

export interface ScriptRun {
  result: RunResult;
  /** The run's top-level facts as values (`prose test` compares them). */
  facts: ReadonlyMap<string, Fact>;
}

/**
 * Runs a compiled script: the run's context is made here, once and complete, then the program
 * runs to its outcome (src/runtime/run-outcome.ts maps however it ended). `prose run` comes here
 * through `startRun`; `prose test` comes here directly, with its own models and journal.
 */
export function runCompiled(program: CheckedProgram, options: ScriptRunOptions): Promise<ScriptRun> {
  const context = runContextFor(options.host, { ...(options.models ? { models: options.models } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  return runProgramWithFacts(program, context, options.answers, options.inputs ?? [], {
    ...(options.journal ? { journal: options.journal } : {}),
    ...(options.runId === undefined ? {} : { runId: options.runId }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
}
