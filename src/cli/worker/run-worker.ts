import { hostname } from "node:os";
import { leaseTiming } from "../../runtime/run-lease.js";
import type { StopSignal } from "../../session/run-cancellation.js";
import { runCancelChannel, runQueueName, runQueuePrefix } from "../../session/shared-runs/run-job.js";
import type { SharedRunStore } from "../../session/shared-runs/shared-run-store.js";
import type { CliServices } from "../cli-services.js";
import { connectedRedis, queueUnavailable, redisOptionsOf } from "../serve/queue-connection.js";
import { runJobAttempt, type WorkerSetting } from "./run-job-attempt.js";

export interface RunWorkerOptions {
  /** The queue's Redis (redis://HOST:PORT), with its password if it has one. */
  url: string;
  store: SharedRunStore;
  workspace: string;
  scriptsRoot: string;
  /** Runs this worker runs at once. */
  concurrency: number;
  environment: NodeJS.ProcessEnv;
  services?: CliServices;
  log(line: string): void;
}

export interface RunWorker {
  /** Runs in flight now. */
  running(): number;
  /** Stops taking jobs and waits for the runs in flight to end. */
  close(): Promise<void>;
}

/**
 * `prose worker`: takes jobs from the BullMQ queue `prose-runs`, `concurrency` at a time, and runs
 * each as one attempt of its run in the shared store (`runJobAttempt`). BullMQ's job lock and the
 * run's lease last as long (`leaseTiming`): when a worker dies, its jobs stall, another worker's
 * stalled check puts them back in the queue once the lock has expired, and the worker that takes
 * one waits out the run's lease before going on from its journal. Cancellations from the server
 * come on the `prose:cancel` channel.
 */
export async function startRunWorker(options: RunWorkerOptions): Promise<RunWorker> {
  const { Worker } = await import("bullmq");
  // Connections of their own: a subscriber takes no other command, and publishing waits for nothing else.
  const publisher = await connectedRedis(options.url, options.log, "worker");
  const subscriber = await connectedRedis(options.url, options.log, "worker");
  const stops = new Map<string, (signal: StopSignal) => void>();
  /** The runs of the jobs in hand, and whether a cancellation came for one before its stop was known. */
  const cancelled = new Map<string, boolean>();
  await subscriber.subscribe(runCancelChannel);
  subscriber.on("message", (channel: string, runId: string) => {
    if (channel !== runCancelChannel) return;
    const stop = stops.get(runId);
    if (stop !== undefined) stop("interrupted");
    else if (cancelled.has(runId)) cancelled.set(runId, true);
  });
  const setting: WorkerSetting = {
    store: options.store,
    publisher,
    workspace: options.workspace,
    scriptsRoot: options.scriptsRoot,
    environment: options.environment,
    ...(options.services ? { services: options.services } : {}),
    now: () => new Date(),
    log: options.log,
    stops,
    cancelled,
  };
  let inFlight = 0;
  let lastProblem = "";
  const worker = new Worker(
    runQueueName,
    async (job) => {
      inFlight += 1;
      const runId = (job.data as { runId?: unknown }).runId;
      if (typeof runId === "string") cancelled.set(runId, false);
      try {
        const outcome = await runJobAttempt(job.data, setting);
        options.log(`run ${String(runId)}: ${"skipped" in outcome ? `not run here: ${outcome.skipped}.` : outcome.ran}`);
        return outcome;
      } finally {
        inFlight -= 1;
        if (typeof runId === "string") cancelled.delete(runId);
      }
    },
    {
      // Options, not a client: BullMQ makes its connections (blocking ones need no retry limit) and closes them.
      connection: { ...redisOptionsOf(options.url), maxRetriesPerRequest: null },
      prefix: runQueuePrefix,
      concurrency: options.concurrency,
      name: `${hostname()}:${process.pid}`,
      // The job's lock is the run's lease: a dead worker's jobs go back to the queue once it has expired.
      lockDuration: leaseTiming.leaseMilliseconds,
      stalledInterval: Math.max(500, Math.floor(leaseTiming.leaseMilliseconds / 2)),
      // A run whose workers keep dying is not retried forever; it then reads interrupted.
      maxStalledCount: 5,
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    },
  );
  worker.on("error", (problem: Error) => {
    // A job's lock lost while Redis did not answer: the queue's bookkeeping, not the run's (its lease decides who runs it).
    if (/\block\b/i.test(problem.message)) options.log(`queue: ${problem.message} (the job's lock ran out while Redis did not answer; the run's lease decides which worker runs it).`);
    else {
      const unavailable = queueUnavailable(options.url, problem);
      // Said once per kind of failure, not once per reconnection.
      if (unavailable.message !== lastProblem) options.log(`${unavailable.message} The worker tries again. ${unavailable.fix}`);
      lastProblem = unavailable.message;
    }
  });
  worker.on("failed", (job, problem) => options.log(`run ${(job?.data as { runId?: string } | undefined)?.runId ?? "?"}: ${problem.message}`));
  await worker.waitUntilReady();
  return {
    running: () => inFlight,
    close: async () => {
      await worker.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
