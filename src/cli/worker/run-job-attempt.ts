import { existsSync, realpathSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { Redis } from "ioredis";
import { defaultConcurrency } from "../../runtime/interpreter.js";
import { AnswerBook } from "../../runtime/questions.js";
import { leaseTiming, newLease } from "../../runtime/run-lease.js";
import type { RunResult } from "../../runtime/run-program.js";
import { endedBeforeRunning, isRunId, startAttempt, withoutLease, type RunRecord } from "../../runtime/run-store.js";
import { planResume, type RunPlan } from "../../session/durable-run.js";
import type { InterruptSource, StopSignal } from "../../session/run-cancellation.js";
import { SessionError } from "../../session/session-error.js";
import type { RunJob } from "../../session/shared-runs/run-job.js";
import { LeaseLost, type SharedRunStore } from "../../session/shared-runs/shared-run-store.js";
import { storeDurableRun } from "../../session/shared-runs/store-durable-run.js";
import type { CliServices } from "../cli-services.js";
import { isInside } from "../files-policy.js";
import { UsageError } from "../usage-error.js";
import { runAttempt, whyNotStarted } from "../serve/run-attempt.js";
import { publishedEvents } from "./published-events.js";

export interface WorkerSetting {
  store: SharedRunStore;
  /** Where events are published (a connection of its own: the store's keeps the journal's order). */
  publisher: Redis;
  /** The worker's workspace: its BYOM providers and secrets. */
  workspace: string;
  /** The worker's scripts root: a job's script is found under it. */
  scriptsRoot: string;
  environment: NodeJS.ProcessEnv;
  services?: CliServices;
  now: () => Date;
  log(line: string): void;
  /** The stops of the runs this worker holds, by run id (a cancellation from the server). */
  stops: Map<string, (signal: StopSignal) => void>;
  /** Runs this worker is taking (lease, record, script) before their stop is known: a cancellation meanwhile is kept here. */
  cancelled: Map<string, boolean>;
}

/** What became of a job: the attempt ran (and how it ended), or there was nothing for this worker to run. */
export type JobOutcome = { ran: RunResult["status"] | "failed-to-start" | "lost" } | { skipped: string };

/**
 * One job of the queue: one attempt of a run kept in the shared store. The run's lease is taken
 * first (at once from the queue; after a crashed worker's lease has expired), then its record is
 * read; only a run that reads "running" (queued, or interrupted) is run, from its journal, so that
 * no journaled step is done again. A job for a run that ended, waits, or is run by a live worker
 * is dropped: the queue may hand the same run twice (a stalled job), the lease decides.
 */
export async function runJobAttempt(data: unknown, setting: WorkerSetting): Promise<JobOutcome> {
  const job = checkedJob(data);
  const { store, log } = setting;
  const lease = newLease();
  const token = lease.holder.token;
  let lost = false;
  const acquired = await store.acquire(job.runId, lease.holder, {
    waitMilliseconds: leaseTiming.leaseMilliseconds + leaseTiming.renewMilliseconds,
    onLost: () => {
      lost = true;
      log(`run ${job.runId}: its lease was taken by another worker; this worker stops running it.`);
      setting.stops.get(job.runId)?.("terminated");
    },
  });
  if (acquired === "held-elsewhere") return { skipped: "another worker runs it (its lease is being renewed)" };
  const read = await store.read(job.runId).catch(async (problem: unknown) => {
    await store.release(job.runId, token).catch(() => undefined);
    throw problem;
  });
  if (read === undefined || read.status !== "running") {
    await store.release(job.runId, token);
    return { skipped: read === undefined ? "the store has no such run" : `the run is ${read.status}` };
  }
  // Read while this worker holds the lease: the holder it shows is this worker.
  const record = withoutLease(read);
  const previous = record.timings.attempts.at(-1);
  if (previous?.status === "running") log(`run ${job.runId}: taking over its interrupted attempt (started ${previous.startedAt}); its journaled steps are not done again.`);
  let plan: RunPlan;
  try {
    plan = workerPlan(job, record, setting);
  } catch (problem) {
    await recordFailure(record, problem, lease, setting);
    return { ran: "failed-to-start" };
  }
  const interrupts: InterruptSource = (onInterrupt) => {
    setting.stops.set(job.runId, onInterrupt);
    // Cancelled while this worker was taking it: stopped as it starts (recorded stopped, as any cancelled run).
    if (setting.cancelled.get(job.runId) === true) onInterrupt("interrupted");
    return () => setting.stops.delete(job.runId);
  };
  const events = publishedEvents(setting.publisher, job.runId, log);
  // The server's streams hear that a worker runs it (its status was "queued" until now).
  events.emit("status", { runId: job.runId, status: "running" });
  try {
    const outcome = await runAttempt({
      plan,
      currentDirectory: setting.scriptsRoot,
      environment: setting.environment,
      ...(setting.services ? { services: setting.services } : {}),
      now: setting.now,
      answers: AnswerBook.of(job.answers ?? []),
      ...(job.timeoutSeconds === undefined ? {} : { timeoutSeconds: job.timeoutSeconds }),
      events,
      output: [],
      interrupts,
      openDurableRun: storeDurableRun(store, lease),
      usage: store.usageSink(log),
      // A run started from a queued run would be kept on this worker's machine only: not offered.
      startsChildRuns: false,
    });
    return { ran: outcome.result.status };
  } catch (problem) {
    if (lost || problem instanceof LeaseLost) return { ran: "lost" };
    if (problem instanceof SessionError || problem instanceof UsageError) {
      await recordFailure(record, problem, lease, setting);
      return { ran: "failed-to-start" };
    }
    // An error escaped the run (its journal is closed, its lease let go): it reads interrupted, and is taken up again.
    throw problem;
  }
}

/** The job's data, refused in English when it is not a run job (another producer's, another version's). */
function checkedJob(data: unknown): RunJob {
  const job = data as Partial<RunJob> | null;
  if (job === null || typeof job !== "object" || typeof job.runId !== "string" || !isRunId(job.runId) || typeof job.script !== "string") {
    throw new Error("The job is not a run of Prose (it needs a runId and a script): it was dropped.");
  }
  if (job.answers !== undefined && !Array.isArray(job.answers)) throw new Error(`The job of the run ${job.runId} has answers that are not a list: it was dropped.`);
  return job as RunJob;
}

/**
 * The attempt as this worker runs it: the record's arguments, with the script and the files root
 * found under this worker's scripts root (the server's paths may differ on this machine).
 */
function workerPlan(job: RunJob, record: RunRecord, setting: WorkerSetting): RunPlan {
  const root = setting.scriptsRoot;
  const fix = `Give every worker the scripts the server has, under its --scripts folder (now ${root}).`;
  if (isAbsolute(job.script) || job.script.includes("\0")) throw new SessionError(`The run's script "${job.script.slice(0, 200)}" is not a path relative to the scripts root.`, fix);
  const path = resolve(root, job.script);
  if (!isInside(path, root) || !existsSync(path)) throw new SessionError(`There is no script "${job.script.slice(0, 200)}" under this worker's scripts root ${root}.`, fix);
  const script = realpathSync(path);
  if (!isInside(script, root)) throw new SessionError(`The script "${job.script.slice(0, 200)}" leads outside this worker's scripts root (through a link).`, fix);
  const plan = planResume({ workspace: setting.workspace, inputs: [], defaultConcurrency, now: setting.now() }, record.id, record);
  const inputs = plan.arguments.inputs.map((pair) => inputUnderRoot(pair, record, root));
  return { ...plan, script, arguments: { ...plan.arguments, inputs, files: { root } } };
}

/** `name=@path` under the server's scripts root names the same file under this worker's. */
function inputUnderRoot(pair: string, record: RunRecord, root: string): string {
  const equals = pair.indexOf("=");
  const serverRoot = record.arguments.files?.root;
  if (equals <= 0 || pair[equals + 1] !== "@" || serverRoot === undefined) return pair;
  const path = pair.slice(equals + 2);
  if (!isInside(path, serverRoot)) return pair;
  return `${pair.slice(0, equals)}=@${resolve(root, path.slice(serverRoot.length).replace(/^[/\\]+/, ""))}`;
}

/** A run that could not start on this worker: recorded failed, with why and the fix, and its lease let go. */
async function recordFailure(record: RunRecord, problem: unknown, lease: ReturnType<typeof newLease>, setting: WorkerSetting): Promise<void> {
  const { message, fix } = whyNotStarted(problem);
  setting.log(`run ${record.id}: ${message}`);
  await setting.store.finish(endedBeforeRunning(startAttempt(record, setting.now(), lease), { message, fix }, setting.now(), { output: record.output }), lease.holder.token);
  publishedEvents(setting.publisher, record.id, setting.log).emit("status", { runId: record.id, status: "failed", error: { message, fix } });
}
