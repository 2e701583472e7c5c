import type { CheckedProgram } from "../check/check-script.js";
import type { UsageSink, UsageTotals } from "../llm/router/usage-record.js";
import type { AnswerSource } from "../runtime/questions.js";
import type { RunResult } from "../runtime/run-program.js";
import { runAgent } from "./agent-name.js";
import { scriptGivenOf, startDurableRun, type DurableRun, type RunPlan } from "./durable-run.js";
import { namedFacts } from "./named-facts.js";
import { atAsGiven } from "./run-json.js";
import type { Json } from "../runtime/display.js";
import type { Question } from "../runtime/questions.js";
import { runCancellation, type InterruptSource, type StopReason } from "./run-cancellation.js";
import type { RunHost } from "./run-host.js";
import { parseRunInputs } from "./run-inputs.js";
import { runCompiled, type ScriptRun } from "./run-script.js";
import { agentEmailSender } from "./email-sender.js";
import { routedModels, type ModelServices } from "./routed-models.js";
import { SessionError } from "./session-error.js";

export interface StartRunOptions {
  /** The run's world: output, files inside the caller's confinement, the person answering, progress. */
  host: RunHost;
  /** Answers given with the run (a resumed run replays the ones it journaled). */
  answers: AnswerSource;
  /** The standard variables for types the agent does not configure, PROSE_HOME, PROSE_TRACE_CONTENT. */
  environment: NodeJS.ProcessEnv;
  services?: ModelServices;
  now?: () => Date;
  /** The stops the caller knows of (the command line: Ctrl-C and SIGTERM). */
  interrupts?: InterruptSource;
  /** Stops the run after this long, cancelling the model calls in flight. */
  timeoutSeconds?: number;
  /** Told when the run's journal is open (its id; undefined when it runs without one), before its first step. */
  onStart?(runId: string | undefined): void;
  /**
   * Where the attempt keeps its record and journal: the workspace's files (`startDurableRun`) unless
   * given (a worker's shared run store). A run that must keep them fails when this throws.
   */
  openDurableRun?(plan: RunPlan, now: () => Date, warn: (message: string) => void): Promise<DurableRun>;
  /** Where each model attempt's usage record goes: the workspace's usage log unless given (a shared run store). */
  usage?: UsageSink & { flush(): Promise<void> };
}

export interface RunOutcome {
  /** How the run ended; its `runId` when it kept a journal. */
  result: RunResult;
  /** Whose providers it called, and the cost label. */
  agent: string;
  project?: string;
  /** When it was stopped from outside: why, and the line that says so. */
  stopped?: { reason: StopReason; message: string };
  /** What the router counted (every attempt, the failed ones, the cost); undefined when no model was called. */
  routed: UsageTotals | undefined;
  /** The run as the JSON contract shows it (docs/json-contract.md), as run.json keeps it too. */
  contract: {
    /** The script's path as the first `prose run` was given it. */
    script: string;
    /** The facts the script named, units kept (see `namedFacts`). */
    facts: Record<string, Json>;
    /** The result's questions and error, their places naming the script as it was given. */
    questions: Question[];
    error: RunResult["error"];
  };
}

/**
 * Starts a planned run (new, or resumed: see `planRun`) of a compiled script: its models through
 * the router, its inputs, its journal and run.json in the workspace, its stops (interruptions,
 * the timeout). When it ends, every usage record is on disk and run.json holds how it ended.
 */
export async function startRun(plan: RunPlan, program: CheckedProgram, options: StartRunOptions): Promise<RunOutcome> {
  const now = options.now ?? (() => new Date());
  const agent = runAgent(plan.arguments.agent);
  // The agent's email settings, read when the script sends a mail (`send an email`).
  const host: RunHost = options.host.sendEmail ? options.host : { ...options.host, sendEmail: agentEmailSender({ agent, workspace: plan.workspace, environment: options.environment, ...(options.services?.openSecretStore ? { openSecretStore: options.services.openSecretStore } : {}) }) };
  const project = plan.arguments.project;
  const models = routedModels({
    agent,
    runId: plan.id,
    environment: options.environment,
    workspace: plan.workspace,
    warn: (message) => host.warn(message),
    ...(project === undefined ? {} : { project }),
    ...(options.services ? { services: options.services } : {}),
    ...(options.usage ? { usage: options.usage } : {}),
  });
  const inputs = await parseRunInputs(plan.arguments.inputs, host);
  const durable = options.openDurableRun ? await options.openDurableRun(plan, now, (message) => host.warn(message)) : await openJournal(plan, now, host, plan.earlier !== undefined);
  const cancellation = runCancellation({ ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }), ...(options.interrupts ? { interrupts: options.interrupts } : {}) });
  let result: RunResult;
  let factValues: ScriptRun["facts"];
  let contract: Omit<RunOutcome["contract"], "script">;
  try {
    options.onStart?.(durable?.id);
    try {
      ({ result, facts: factValues } = await runCompiled(program, {
        host,
        answers: options.answers,
        inputs,
        models: models.resolver,
        signal: cancellation.signal,
        concurrency: plan.arguments.concurrency,
        ...(durable ? { journal: durable.journal, runId: durable.id } : {}),
      }));
    } finally {
      cancellation.dispose();
      // Every attempt's usage record is on disk before the run is told ended.
      await models.flush();
    }
    contract = contractOf(result, factValues, program, scriptGivenOf(plan));
  } catch (problem) {
    cancellation.dispose();
    // The run crashed (an error escaped it) while its process lives on: it lets go of its lease, so it shows interrupted.
    await durable?.abandon().catch(() => undefined);
    throw problem;
  }
  const reason = cancellation.reason();
  await durable?.finish({ ...result, questions: contract.questions, error: contract.error }, { facts: contract.facts, ...(reason === undefined ? {} : { stopped: reason }) });
  return {
    result,
    agent,
    ...(project === undefined ? {} : { project }),
    ...(reason === undefined ? {} : { stopped: { reason, message: cancellation.message()! } }),
    routed: models.totals(),
    contract: { ...contract, script: scriptGivenOf(plan) ?? plan.script },
  };
}

/** The run's named facts, and its places with the script's path as it was given. */
function contractOf(result: RunResult, facts: ScriptRun["facts"], program: CheckedProgram, given: string | undefined): Omit<RunOutcome["contract"], "script"> {
  const compiledAs = program.script.file;
  const place = (at: string) => atAsGiven(at, compiledAs, given);
  return {
    facts: namedFacts(program, facts),
    questions: result.questions.map((question) => ({ ...question, at: place(question.at) })),
    error: result.error === null ? null : { ...result.error, at: result.error.at === null ? null : place(result.error.at) },
  };
}

/**
 * The run's journal. A new run that cannot keep one (a read-only workspace) still runs, without
 * an id; a resumed run needs its journal.
 */
async function openJournal(plan: RunPlan, now: () => Date, host: RunHost, resuming: boolean): Promise<DurableRun | undefined> {
  try {
    return await startDurableRun(plan, now, (message) => host.warn(message));
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code ?? (problem as Error).message;
    if (resuming) throw new SessionError(`I can't open the journal of ${plan.id} in ${plan.workspace} (${code}).`);
    host.warn(`I can't keep this run's journal in ${plan.workspace} (${code}): it runs without one, and can't be resumed.`);
    return undefined;
  }
}
