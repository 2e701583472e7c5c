import type { UsageRecord, UsageSink, UsageTotals } from "../../llm/router/usage-record.js";
import type { Journal } from "../../runtime/journal.js";
import type { LeaseHolder } from "../../runtime/run-lease.js";
import type { RunRecord } from "../../runtime/run-store.js";

/**
 * Where the runs of many processes and machines are kept (`prose serve --queue`, `prose worker`):
 * every worker and the server read and write a run's record, journal and usage here, and a run's
 * lease here says which process runs it. The one implementation keeps them in Redis
 * (`redis-run-store.ts`); without a queue, runs stay in the workspace's files (run-store.ts).
 *
 * A run's lease is held by the queue (a queued run: no expiry, any worker may take it at once) or
 * by one worker process (an attempt: expires `leaseMilliseconds` after its last renewal, and only
 * then may another worker take it). Every write of an attempt (record, journal, usage) names the
 * lease's token, and is refused once the lease is another's: a worker that lost its run (paused
 * past its lease, then back) cannot write over the worker that took it over.
 */
export interface SharedRunStore {
  /** The store as messages name it: `Redis at redis://127.0.0.1:6379` (never a password). */
  readonly printable: string;

  /**
   * The run's record as a reader shows it, or undefined: a queued run (lease held by the queue)
   * reads as "running" with the queue as its holder (`queueHolder`); an attempt's lease gives
   * `holder` and `leaseUntil` (its remaining time); a "running" record whose lease is gone reads
   * without holder, leaseUntil or pid, so that `shownStatus` says "interrupted".
   */
  read(id: string): Promise<RunRecord | undefined>;
  /** Every run, newest first (as `listRunRecords`), read as `read` does; at most `limit`. */
  list(options?: { limit?: number }): Promise<RunRecord[]>;

  /** A new run, queued: its record (no attempt yet) and a lease held by the queue. False when the id exists. */
  createQueued(record: RunRecord): Promise<boolean>;
  /**
   * Queues the run again, atomically, when it may run: a waiting run (answers came), or one whose
   * lease is gone while it reads "running" (interrupted). False otherwise (running, queued already,
   * done, failed): the caller refuses.
   */
  requeue(id: string, from: "waiting" | "interrupted"): Promise<boolean>;
  /** A queued run that will not run (cancelled before a worker took it, its script broken): `record` replaces it and the queue's lease is dropped. False when a worker took it meanwhile. */
  endQueued(record: RunRecord): Promise<boolean>;

  /**
   * Takes the run's lease for an attempt by this process: at once when the queue holds it or no one
   * does; when another process holds it, waits until its lease expires (a crashed worker), at most
   * `waitMilliseconds`, then answers "held-elsewhere" (the holder is alive and renewing). Once
   * taken, the store renews it every `renewMilliseconds` (one timer for every lease this process
   * holds) until `release`/`finish`/`abandon`; `onLost` hears when a renewal finds it another's.
   */
  acquire(id: string, holder: LeaseHolder, options: { waitMilliseconds: number; onLost?: () => void }): Promise<"acquired" | "held-elsewhere">;
  /** Lets go of a lease taken by `acquire` without writing (the record was not one to run). */
  release(id: string, token: string): Promise<void>;
  /** Replaces the record while this process holds its lease (the attempt's start). Throws `LeaseLost` otherwise. */
  write(record: RunRecord, token: string): Promise<void>;
  /** Replaces the record and drops the lease, in one step (the attempt ended, or was abandoned). Throws `LeaseLost` when it is another's. */
  finish(record: RunRecord, token: string): Promise<void>;

  /**
   * The run's journal for an attempt holding `token`: the records kept so far, then appends that
   * Redis keeps in order (a durable append resolves once Redis has it); an append refused because
   * the lease is another's rejects with `LeaseLost`, and so does every later one.
   */
  openJournal(id: string, token: string): Promise<Journal>;

  /** Where the router of a run held with `token` puts each attempt's usage record; `flush` resolves once Redis has every one. */
  usageSink(onError: (message: string) => void): UsageSink & { flush(): Promise<void> };
  /** The run's own usage records (every attempt of every worker), summed; undefined when it has none. */
  usageOf(id: string): Promise<UsageTotals | undefined>;
  /** Usage records since a time (ISO), oldest first: the store's `prose usage`. */
  usageRecords(since: string): Promise<UsageRecord[]>;

  /** Closes the connection: held leases then expire. */
  close(): Promise<void>;
}

/** The holder a queued run reads with: no process; "(queue)" is no host's name. */
export const queueHolder: LeaseHolder = { pid: 0, host: "(queue)", token: "queue" };

/** A write of an attempt whose lease is not (or no longer) this process's. */
export class LeaseLost extends Error {
  override readonly name = "LeaseLost";
  constructor(readonly runId: string) {
    super(`The run ${runId} was taken over by another worker (this worker's lease on it expired): this worker stops running it, and the other one goes on from its journal.`);
  }
}
