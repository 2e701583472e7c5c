import { dirname } from "node:path";
import { defaultAgent } from "../../byom/workspace.js";
import type { CheckedProgram } from "../../check/check-script.js";
import { systemClock } from "../../llm/router/clock.js";
import type { AnswerSource } from "../../runtime/questions.js";
import { hasErrors } from "../../syntax/diagnostic.js";
import type { RunPlan } from "../../session/durable-run.js";
import type { RunHost } from "../../session/run-host.js";
import { questionJson } from "../../session/run-json.js";
import type { InterruptSource } from "../../session/run-cancellation.js";
import { SessionError } from "../../session/session-error.js";
import { UsageError } from "../usage-error.js";
import { startRun, type RunOutcome, type StartRunOptions } from "../../session/start-run.js";
import type { CliServices } from "../cli-services.js";
import { readConfined, writeConfined } from "../confined-files.js";
import { listConfined } from "../confined-folders.js";
import { filesPolicyFor } from "../files-policy.js";
import { loadProgram } from "../load-program.js";
import { runStarter } from "../run-starter.js";
import { runWeb } from "../run-web.js";
import type { RunEvent } from "./run-events.js";

/**
 * Why an attempt could not start, as the run's error: the English message and fix of a known
 * refusal (a script with errors now, a missing input file), or the problem's own words; `known`
 * says which (an unknown one is worth the log too).
 */
export function whyNotStarted(problem: unknown): { message: string; fix: string; known: boolean } {
  const known = problem instanceof SessionError || problem instanceof UsageError;
  const message = known ? problem.message : `The run could not start: ${problem instanceof Error ? problem.message : String(problem)}.`;
  return { message, fix: (known ? problem.fix : undefined) ?? "Correct what the message says, then start a new run.", known };
}

/** Where an attempt's events go: the server's `RunEvents`, or a worker's channel to the server. */
export interface AttemptEvents {
  emit(event: RunEvent["event"], data: unknown): void;
  /** Whether the stream already told lines of output (else a resumed run's earlier lines are told first). */
  hasOutput(): boolean;
}

export interface AttemptRequest {
  /** The planned attempt: a resume of the run's record (`planRun`, or `planResume` from a shared store). */
  plan: RunPlan;
  /** The folder relative paths are read from (the scripts root). */
  currentDirectory: string;
  environment: NodeJS.ProcessEnv;
  services?: CliServices;
  now: () => Date;
  answers: AnswerSource;
  timeoutSeconds?: number;
  /** The program compiled when the run was started, when it is the plan's script: not compiled again. */
  compiled?: { script: string; program: CheckedProgram };
  events: AttemptEvents;
  /** What the script says in this attempt, line by line, as it says it. */
  output: string[];
  interrupts: InterruptSource;
  /** A shared run store's record, journal and usage (a worker); the workspace's files otherwise. */
  openDurableRun?: StartRunOptions["openDurableRun"];
  usage?: StartRunOptions["usage"];
  /** Whether `start a run of …` may start runs in the workspace (not from a worker: they would stay on its machine). */
  startsChildRuns: boolean;
}

/**
 * One attempt of a run with no person at hand (`prose serve`, `prose worker`): the script compiled
 * (or the one compiled at its start), confined to its files root, its output, warnings, questions
 * and status told to `events`, through the session service (startRun). Questions end it waiting.
 */
export async function runAttempt(request: AttemptRequest): Promise<RunOutcome> {
  const { plan, environment, events } = request;
  const workspace = plan.workspace;
  const kept = plan.arguments.files ?? {};
  const files = filesPolicyFor(
    { ...(kept.root === undefined ? {} : { files: kept.root }), allowRead: kept.allowRead ?? [], allowWrite: kept.allowWrite ?? [] },
    { root: dirname(plan.script), origin: "the script's folder", currentDirectory: request.currentDirectory, workspace, environment },
  );
  const compiled = request.compiled?.script === plan.script ? request.compiled.program : undefined;
  const program = compiled ?? loadProgram(plan.script, files);
  if (hasErrors(program.diagnostics)) throw new SessionError(`The script ${plan.script} has errors now.`, `Correct it (\`prose check ${plan.script}\`), then start a new run.`);
  // A resumed run says its earlier lines again as it replays: the stream tells each line once.
  const earlierOutput = plan.earlier?.output ?? [];
  if (!events.hasOutput()) for (const line of earlierOutput) events.emit("output", { line });
  let replayed = earlierOutput.length;
  const web = runWeb({ allowNet: [], workspace, agent: plan.arguments.agent ?? defaultAgent, environment, services: request.services ?? {} });
  const host: RunHost = {
    say: (line) => {
      request.output.push(line);
      if (replayed > 0) replayed -= 1;
      else events.emit("output", { line });
    },
    warn: (message) => events.emit("warning", { message }),
    now: () => new Date(),
    sleep: systemClock.sleep,
    readFile: (path) => readConfined(files, path),
    writeFile: (path, contents) => writeConfined(files, path, contents),
    listFolder: (path) => listConfined(files, path),
    // `start a run of …`: a run of its own in this workspace, as `prose run` starts one (run-starter.ts).
    ...(request.startsChildRuns ? { startRun: runStarter({ workspace, parent: plan.arguments, filesRoot: kept.root ?? dirname(plan.script), files, environment, now: request.now }) } : {}),
    ...(web.request === undefined ? {} : { request: web.request }),
    ...(web.hasSecret === undefined ? {} : { hasSecret: web.hasSecret }),
  };
  const outcome = await startRun(plan, program, {
    host,
    answers: request.answers,
    environment,
    ...(request.services ? { services: request.services } : {}),
    now: request.now,
    interrupts: request.interrupts,
    ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
    ...(request.openDurableRun ? { openDurableRun: request.openDurableRun } : {}),
    ...(request.usage ? { usage: request.usage } : {}),
  });
  for (const question of outcome.contract.questions) events.emit("question", { runId: plan.id, question: questionJson(question) });
  const error = outcome.contract.error;
  events.emit("status", {
    runId: plan.id,
    status: outcome.result.status,
    ...(outcome.stopped === undefined ? {} : { stopped: outcome.stopped.reason }),
    ...(error === null ? {} : { error: { message: error.message, fix: error.fix ?? null } }),
  });
  return outcome;
}
