import { relative, sep } from "node:path";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { UsageQuery, UsageRead } from "../../llm/router/usage-log.js";
import type { UsageTotals } from "../../llm/router/usage-record.js";
import type { AnswerBook } from "../../runtime/questions.js";
import { endedBeforeRunning, newRunId, newRunRecord, shownStatus, type RunRecord } from "../../runtime/run-store.js";
import { runCancelChannel, runEventsChannel, runQueueName, runQueuePrefix, type RunJob } from "../../session/shared-runs/run-job.js";
import { queueHolder, type SharedRunStore } from "../../session/shared-runs/shared-run-store.js";
import { isInside } from "../files-policy.js";
import { ApiError } from "./api-error.js";
import { checkAnswersFit, checkedNewRun, type NewRunRequest } from "./new-run-request.js";
import { connectedRedis, queueConnectTimeoutMilliseconds, queueUnavailable, redisOptionsOf, within } from "./queue-connection.js";
import { endingStatuses } from "./run-manager.js";
import { RunEvents } from "./run-events.js";
import type { RunService } from "./run-service.js";

/** How long a cancel of a run a worker runs waits for the worker to say it stopped. */
export const cancelWaitMilliseconds = 10_000;
/** The runs whose events the server keeps (the newest). */
export const keptRuns = 200;

export interface QueuedRunServiceOptions {
  workspace: string;
  /** The scripts root (a real path): new runs are checked against it, and jobs name scripts relative to it. */
  scriptsRoot: string;
  environment: NodeJS.ProcessEnv;
  /** The queue's Redis, with its password when it has one. */
  url: string;
  /** The shared run store in the same Redis. */
  store: SharedRunStore;
  now?: () => Date;
  /** Lines for the server's log (standard error). */
  log(line: string): void;
}

/** The events of one run as the server saw them: its stream, what it said, its last status. */
interface SeenRun {
  events: RunEvents;
  /** Every line of output the stream told (a seeded record's, then the workers'). */
  output: string[];
  /** The last status told: "queued", "running", or how an attempt ended. */
  status: string;
  /** Resolves the cancels waiting for the run to end. */
  ended: Array<() => void>;
}

/**
 * The runs of `prose serve --queue`: the server runs none itself. A new run is checked, recorded
 * queued in the shared run store and enqueued as a BullMQ job; answers requeue a waiting run with
 * a job carrying them; a cancel removes a job no worker took yet, or asks the workers (PUBLISH on
 * `prose:cancel`). The workers publish each run's events on `prose:events:<run id>`: one pattern
 * subscription routes them into the run's `RunEvents`, for the API's streams.
 */
export class QueuedRunService implements RunService {
  private readonly seen = new Map<string, SeenRun>();
  private closing = false;
  private readonly now: () => Date;

  private constructor(
    private readonly options: QueuedRunServiceOptions,
    private readonly queue: Queue,
    private readonly subscriber: Redis,
  ) {
    this.now = options.now ?? (() => new Date());
    subscriber.on("pmessage", (_pattern: string, channel: string, message: string) => this.route(channel, message));
  }

  /**
   * Connects to the queue's Redis (refused with `QueueUnavailableError` when it cannot be reached
   * within a few seconds: the server does not start), subscribes to every run's events, and opens
   * the BullMQ queue.
   */
  static async open(options: QueuedRunServiceOptions): Promise<QueuedRunService> {
    // The store answers first (its own connection, its own English message): a server that starts can record runs.
    try {
      await options.store.list({ limit: 1 });
    } catch (problem) {
      throw queueUnavailable(options.url, problem);
    }
    const subscriber = await connectedRedis(options.url, options.log);
    let queue: Queue | undefined;
    try {
      await within(subscriber.psubscribe(runEventsChannel("*")), queueConnectTimeoutMilliseconds, "Redis");
      const { Queue } = await import("bullmq");
      queue = new Queue(runQueueName, {
        prefix: runQueuePrefix,
        // Adds fail at once while Redis is down (503), instead of waiting in ioredis's offline queue.
        connection: { ...redisOptionsOf(options.url), enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: queueConnectTimeoutMilliseconds, retryStrategy: (times: number) => Math.min(200 * times, 2000) },
      });
      let said = "";
      queue.on("error", (problem: Error) => {
        const message = queueUnavailable(options.url, problem).message;
        if (message !== said) options.log(message);
        said = message;
      });
      await within(queue.waitUntilReady(), queueConnectTimeoutMilliseconds, "Redis");
    } catch (problem) {
      subscriber.disconnect();
      await queue?.close().catch(() => undefined);
      throw queueUnavailable(options.url, problem);
    }
    return new QueuedRunService(options, queue, subscriber);
  }

  get workspace(): string {
    return this.options.workspace;
  }

  read(id: string): Promise<RunRecord | undefined> {
    return this.unavailableAs503(() => this.options.store.read(id));
  }

  list(): Promise<RunRecord[]> {
    return this.unavailableAs503(() => this.options.store.list());
  }

  usageOf(record: RunRecord): Promise<UsageTotals | undefined> {
    return this.unavailableAs503(() => this.options.store.usageOf(record.id));
  }

  /** Every worker's usage records, from the store (the month lists since `since`). */
  async usageRecords(query: UsageQuery): Promise<UsageRead> {
    const records = await this.unavailableAs503(() => this.options.store.usageRecords((query.since ?? new Date(0)).toISOString()));
    // The store kept only those since `since`.
    return {
      records: records.filter((record) => (query.agent === undefined || record.agent === query.agent) && (query.project === undefined || record.project === query.project)),
      unreadableLines: 0,
    };
  }

  /** A requeued run reads "running" in the store at once: nothing is held here. */
  isHeld(): boolean {
    return false;
  }

  async start(request: NewRunRequest): Promise<string> {
    this.refuseWhileClosing();
    const { script, runArguments } = checkedNewRun(request, this.options);
    const id = newRunId(this.now());
    const record: RunRecord = { ...newRunRecord(id, script, runArguments, this.now()), scriptGiven: request.script };
    if (!(await this.unavailableAs503(() => this.options.store.createQueued(record)))) {
      throw new ApiError(503, `The run id ${id} exists already in the run store.`, "Send the request again: a new run gets a new id.");
    }
    this.told(this.seenRun(id), "status", { runId: id, status: "queued" });
    try {
      await this.enqueue(record, { ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }) }, true);
    } catch (problem) {
      // Not queued: recorded failed with why, so that it does not read "queued" forever.
      const error = queueUnavailable(this.options.url, problem);
      const failed = this.ended(record, { message: `The run could not be queued: ${error.message}`, fix: error.fix });
      await this.options.store.endQueued(failed).catch(() => undefined);
      this.told(this.seenRun(id), "status", { runId: id, status: "failed", error: { message: failed.error!.message, fix: error.fix } });
      throw new ApiError(503, error.message, error.fix);
    }
    return id;
  }

  async answer(id: string, answers: AnswerBook, keysGiven: number): Promise<string[]> {
    this.refuseWhileClosing();
    const record = await this.recordOf(id);
    const warnings = checkAnswersFit(record, shownStatus(record), answers, keysGiven);
    if (!(await this.unavailableAs503(() => this.options.store.requeue(id, "waiting")))) {
      throw new ApiError(409, `The run ${id} is no longer waiting: it was answered or resumed meanwhile.`, "See it with GET /api/runs/{runId}; answer it again when it waits.");
    }
    this.told(this.seenRun(id, record), "status", { runId: id, status: "queued" });
    try {
      await this.enqueue(record, { answers: answers.entries() });
    } catch (problem) {
      // Back to waiting, as it was: the queue's lease is dropped with it.
      await this.options.store.endQueued(record).catch(() => undefined);
      const error = queueUnavailable(this.options.url, problem);
      throw new ApiError(503, `The answers could not be queued: ${error.message}`, "Send them again once Redis answers.");
    }
    return warnings;
  }

  async cancel(id: string): Promise<void> {
    const record = await this.recordOf(id);
    if (shownStatus(record) !== "running") {
      throw new ApiError(409, `The run ${id} is not running (it is ${shownStatus(record)}): there is nothing to cancel.`, "Only a queued or running run can be cancelled.");
    }
    const seen = this.seenRun(id, record);
    if (record.holder?.token === queueHolder.token) {
      const job = await this.unavailableAs503(() => this.queue.getJob(jobIdOf(record)));
      const state = job === undefined ? "missing" : await job.getState();
      if (job === undefined || state === "waiting" || state === "delayed" || state === "prioritized" || state === "waiting-children") {
        const removed = job === undefined ? true : await job.remove().then(() => true, () => false);
        if (removed) {
          const stopped = this.ended(record, { message: "The run was cancelled before a worker took it.", fix: "Start a new run of the script if it must run." }, "interrupted");
          if (await this.options.store.endQueued(stopped)) {
            this.told(seen, "status", { runId: id, status: "failed", stopped: "interrupted", error: { message: stopped.error!.message, fix: stopped.error!.fix ?? null } });
            return;
          }
        }
      }
    }
    // A worker runs it (or has just taken it): it is asked to stop as Ctrl-C does, and says so on the run's channel.
    const ended = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), cancelWaitMilliseconds);
      seen.ended.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    await this.unavailableAs503(async () => {
      // The queue's own connection: an ioredis client, made from the options given above.
      const client = (await this.queue.client) as unknown as Redis;
      await client.publish(runCancelChannel, id);
    });
    if (!(await ended)) {
      const now = await this.options.store.read(id);
      if (now !== undefined && shownStatus(now) === "running") {
        throw new ApiError(409, `The run ${id} was asked to stop, but no worker said it stopped within ${cancelWaitMilliseconds / 1000} s.`, "See whether a worker runs it (its log), then cancel it again; a run whose worker is gone is taken over by another once its lease expires.");
      }
    }
  }

  eventsOf(id: string, record?: RunRecord): RunEvents | undefined {
    const seen = this.seen.get(id);
    if (seen !== undefined) return seen.events;
    // A run this server did not see start (another server's, or before a restart): followed from now, after what its record says.
    if (record !== undefined && shownStatus(record) === "running") return this.seenRun(id, record).events;
    return undefined;
  }

  liveOutput(id: string): string[] | undefined {
    const seen = this.seen.get(id);
    return seen === undefined || endingStatuses.has(seen.status) ? undefined : seen.output;
  }

  async counts(): Promise<{ running: number; queued: number }> {
    const counts = await this.unavailableAs503(() => this.queue.getJobCounts("active", "waiting", "delayed", "prioritized"));
    return { running: counts.active ?? 0, queued: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) };
  }

  /**
   * Requeues every run reading "interrupted" in the store (its worker gone, and no job left to take
   * it over: a worker's takeover normally makes this unnecessary). Their ids.
   */
  async recover(): Promise<string[]> {
    const resumed: string[] = [];
    for (const record of await this.options.store.list()) {
      if (shownStatus(record) !== "interrupted") continue;
      if (!(await this.options.store.requeue(record.id, "interrupted"))) continue;
      try {
        await this.enqueue(record, {});
      } catch (problem) {
        this.options.log(`run ${record.id}: it was interrupted and could not be queued again: ${queueUnavailable(this.options.url, problem).message}`);
        continue;
      }
      this.told(this.seenRun(record.id, record), "status", { runId: record.id, status: "queued" });
      resumed.push(record.id);
    }
    return resumed;
  }

  /** Stops taking requests and closes the queue, the subscription and the store: the runs go on in the workers. */
  async shutdown(): Promise<string[]> {
    if (this.closing) return [];
    this.closing = true;
    for (const seen of this.seen.values()) for (const end of seen.ended.splice(0)) end();
    await this.queue.close().catch(() => undefined);
    this.subscriber.disconnect();
    await this.options.store.close();
    return [];
  }

  /** The job of the run's next attempt, in the queue. */
  private async enqueue(record: RunRecord, extra: Pick<RunJob, "answers" | "timeoutSeconds">, fresh = false): Promise<void> {
    const job: RunJob = { runId: record.id, script: this.scriptOf(record), ...extra };
    const jobId = jobIdOf(record);
    // A job of the same attempt that failed (an error escaped its worker) keeps its id for a while: it goes, so that this one is added. A new run has none.
    const old = fresh ? undefined : await this.queue.getJob(jobId);
    if (old !== undefined && ((await old.isFailed()) || (await old.isCompleted()))) await old.remove();
    // An attempt an error escaped (Redis gone mid-run: its journal could not be written) is tried again, from its journal, a few times.
    await this.queue.add("run", job, { jobId, removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: "exponential", delay: 2000 } });
  }

  /** The script relative to the scripts root, as workers find it under theirs. */
  private scriptOf(record: RunRecord): string {
    if (isInside(record.script, this.options.scriptsRoot)) return relative(this.options.scriptsRoot, record.script).split(sep).join("/");
    return record.scriptGiven ?? record.script;
  }

  /** The record of a queued run that ends before any worker ran it. */
  private ended(record: RunRecord, error: { message: string; fix: string }, stopped?: RunRecord["stopped"]): RunRecord {
    return endedBeforeRunning(record, error, this.now(), { output: record.output, ...(stopped === undefined ? {} : { stopped }) });
  }

  /** A worker's event on `prose:events:<run id>`, told to the run's stream. */
  private route(channel: string, message: string): void {
    const prefix = runEventsChannel("");
    if (!channel.startsWith(prefix)) return;
    const id = channel.slice(prefix.length);
    let parsed: { event?: unknown; data?: unknown };
    try {
      parsed = JSON.parse(message) as { event?: unknown; data?: unknown };
    } catch {
      this.options.log(`run ${id.slice(0, 80)}: an event that is not JSON was published on its channel; it was left out.`);
      return;
    }
    const event = parsed?.event;
    if (event !== "output" && event !== "warning" && event !== "question" && event !== "status") return;
    const seen = this.seenRun(id);
    // A worker tells "running" as it starts an attempt; from a worker that did not (an older one), the first event of an attempt says it runs.
    const startsAttempt = seen.status === "queued" ? !(event === "status" && (parsed.data as { status?: string } | null)?.status === "running") : endingStatuses.has(seen.status) && event !== "status";
    if (startsAttempt) this.told(seen, "status", { runId: id, status: "running" });
    this.told(seen, event, parsed.data);
  }

  private told(seen: SeenRun, event: "output" | "warning" | "question" | "status", data: unknown): void {
    if (event === "output") seen.output.push(String((data as { line?: unknown } | null)?.line ?? ""));
    seen.events.emit(event, data);
    if (event !== "status") return;
    seen.status = String((data as { status?: unknown } | null)?.status ?? seen.status);
    if (endingStatuses.has(seen.status)) for (const end of seen.ended.splice(0)) end();
  }

  /** The run's seen events (made, seeded with what its record said, when there are none), kept among the newest `keptRuns`. */
  private seenRun(id: string, record?: RunRecord): SeenRun {
    let seen = this.seen.get(id);
    if (seen === undefined) {
      seen = { events: new RunEvents(), output: [], status: record === undefined ? "running" : shownStatus(record) === "running" ? (record.holder?.token === queueHolder.token ? "queued" : "running") : shownStatus(record), ended: [] };
      // A resumed run's workers do not tell its earlier lines again: the stream starts with them.
      for (const line of record?.output ?? []) this.told(seen, "output", { line });
      this.seen.set(id, seen);
    } else {
      // The newest last: the oldest runs' events go first.
      this.seen.delete(id);
      this.seen.set(id, seen);
    }
    while (this.seen.size > keptRuns) {
      const [oldest, old] = this.seen.entries().next().value!;
      if (old.events.subscriberCount > 0 || old.ended.length > 0) break;
      this.seen.delete(oldest);
    }
    return seen;
  }

  private async recordOf(id: string): Promise<RunRecord> {
    const record = await this.options.store.read(id);
    if (record === undefined) throw new ApiError(404, `There is no run "${id.slice(0, 80)}".`, "See the runs with GET /api/runs.");
    return record;
  }

  private refuseWhileClosing(): void {
    if (this.closing) throw new ApiError(503, "The server is shutting down.", "Start it again (`prose serve --queue …`); the runs go on in the workers meanwhile.");
  }

  /** Redis's failures as 503, with the store's or the queue's English message. */
  private async unavailableAs503<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (problem) {
      if (problem instanceof ApiError) throw problem;
      const error = queueUnavailable(this.options.url, problem);
      throw new ApiError(503, error.message, error.fix);
    }
  }
}

/** The BullMQ job id of the run's next attempt: `<run id>#<attempt>` (BullMQ ids may not hold ":"). */
export function jobIdOf(record: Pick<RunRecord, "id" | "timings">): string {
  return `${record.id}#${record.timings.attempts.length + 1}`;
}
