import { RedisConnection } from "../../llm/shared-limits/redis-connection.js";
import { addToTotals, emptyTotals, type UsageRecord, type UsageSink, type UsageTotals } from "../../llm/router/usage-record.js";
import type { Journal } from "../../runtime/journal.js";
import { leaseTiming, setLeaseTiming, type LeaseHolder } from "../../runtime/run-lease.js";
import { withoutLease, type RunRecord } from "../../runtime/run-store.js";
import { RedisJournal } from "./redis-journal.js";
import { RedisLeaseKeeper } from "./redis-lease-keeper.js";
import {
  acquireScript,
  createQueuedScript,
  endQueuedScript,
  finishScript,
  monthUsageKey,
  readScript,
  releaseScript,
  requeueScript,
  runKeys,
  runsKey,
  writeScript,
} from "./redis-run-scripts.js";
import { RedisUsageSink } from "./redis-usage-sink.js";
import { runStorePurpose, RunStoreUnavailableError } from "./run-store-unavailable.js";
import { LeaseLost, queueHolder, type SharedRunStore } from "./shared-run-store.js";
import { parseUsageRecord } from "../../llm/router/usage-log.js";

export { RunStoreUnavailableError } from "./run-store-unavailable.js";

/** A queued run's `leaseUntil` as read: the queue's lease does not expire. */
export const queuedLeaseUntil = "9999-12-31T23:59:59.999Z";

/** The longest an `acquire` waits between two tries. */
const pollMilliseconds = 200;

/** The queue's lease, as `prose:run:<id>:lease` holds it. */
const queuedLease = JSON.stringify({ holder: queueHolder, queued: true });

/**
 * The shared run store in Redis (see README.md in this folder for the keys and the fencing). One
 * connection carries every command of the store, in the order they are sent: that order is what
 * makes a journaled call's usage record certain to be in Redis (see `RedisUsageSink`).
 */
export class RedisRunStore implements SharedRunStore {
  readonly printable: string;
  private readonly keeper: RedisLeaseKeeper;

  constructor(readonly connection: RedisConnection<RunStoreUnavailableError>) {
    this.printable = `Redis at ${connection.printable}`;
    this.keeper = new RedisLeaseKeeper(connection);
  }

  /** The leases this store renews (for tests). */
  get leases(): RedisLeaseKeeper {
    return this.keeper;
  }

  async read(id: string): Promise<RunRecord | undefined> {
    const keys = runKeys(id);
    const [record, lease, ttl] = await this.connection.run((redis) => redis.eval(readScript, 2, keys.record, keys.lease) as Promise<[string | null, string | null, number]>);
    return shown(record, lease, ttl, Date.now());
  }

  async list(options: { limit?: number } = {}): Promise<RunRecord[]> {
    const limit = options.limit ?? -1;
    if (limit === 0) return [];
    const ids = await this.connection.run((redis) => redis.zrevrange(runsKey, 0, limit < 0 ? -1 : limit - 1));
    const records = await Promise.all(ids.map((id) => this.read(id)));
    return records.filter((record): record is RunRecord => record !== undefined);
  }

  async createQueued(record: RunRecord): Promise<boolean> {
    const keys = runKeys(record.id);
    const stored = withoutLease(record);
    const created = await this.connection.run(
      (redis) =>
        redis.eval(createQueuedScript, 4, keys.record, keys.status, runsKey, keys.lease, JSON.stringify(stored), stored.status, String(creationMilliseconds(record)), record.id, queuedLease) as Promise<number>,
    );
    return created === 1;
  }

  async requeue(id: string, from: "waiting" | "interrupted"): Promise<boolean> {
    const keys = runKeys(id);
    let read = "";
    let queued = "";
    if (from === "waiting") {
      const text = await this.connection.run((redis) => redis.get(keys.record));
      if (text === null) return false;
      const record = parseRecord(text);
      if (record === undefined || record.status !== "waiting") return false;
      read = text;
      // Queued, it is "running" again: the worker that takes it runs it.
      queued = JSON.stringify({ ...withoutLease(record), status: "running" });
    }
    const done = await this.connection.run((redis) => redis.eval(requeueScript, 3, keys.record, keys.status, keys.lease, from, read, queued, queuedLease) as Promise<number>);
    return done === 1;
  }

  async endQueued(record: RunRecord): Promise<boolean> {
    const keys = runKeys(record.id);
    const stored = withoutLease(record);
    const done = await this.connection.run((redis) => redis.eval(endQueuedScript, 3, keys.record, keys.status, keys.lease, JSON.stringify(stored), stored.status) as Promise<number>);
    return done === 1;
  }

  async acquire(id: string, holder: LeaseHolder, options: { waitMilliseconds: number; onLost?: () => void }): Promise<"acquired" | "held-elsewhere"> {
    const key = runKeys(id).lease;
    const lease = JSON.stringify({ holder, queued: false });
    const deadline = Date.now() + Math.max(0, options.waitMilliseconds);
    for (;;) {
      const [taken, ttl] = await this.connection.run((redis) => redis.eval(acquireScript, 1, key, lease, String(leaseTiming.leaseMilliseconds)) as Promise<[number, number]>);
      if (taken === 1) {
        this.keeper.hold(id, holder.token, options.onLost);
        return "acquired";
      }
      const left = deadline - Date.now();
      if (left <= 0) return "held-elsewhere";
      // Tried again when the holder's lease ends (a crashed worker's), or every 200 ms at most.
      const wait = Math.min(left, ttl > 0 ? Math.min(pollMilliseconds, ttl + 1) : pollMilliseconds);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async release(id: string, token: string): Promise<void> {
    this.keeper.forget(id, token);
    await this.connection.run((redis) => redis.eval(releaseScript, 1, runKeys(id).lease, token));
  }

  async write(record: RunRecord, token: string): Promise<void> {
    const keys = runKeys(record.id);
    // The lease is kept in its own key, and shown from there (`read`).
    const stored = withoutLease(record);
    const done = await this.connection.run((redis) => redis.eval(writeScript, 3, keys.record, keys.status, keys.lease, token, JSON.stringify(stored), stored.status) as Promise<number>);
    if (done !== 1) throw this.lost(record.id, token);
  }

  async finish(record: RunRecord, token: string): Promise<void> {
    const keys = runKeys(record.id);
    const stored = withoutLease(record);
    const done = await this.connection.run((redis) => redis.eval(finishScript, 3, keys.record, keys.status, keys.lease, token, JSON.stringify(stored), stored.status) as Promise<number>);
    this.keeper.forget(record.id, token);
    if (done !== 1) throw new LeaseLost(record.id);
  }

  openJournal(id: string, token: string): Promise<Journal> {
    return RedisJournal.open(this.connection, id, token);
  }

  usageSink(onError: (message: string) => void): UsageSink & { flush(): Promise<void> } {
    return new RedisUsageSink(this.connection, onError);
  }

  async usageOf(id: string): Promise<UsageTotals | undefined> {
    const entries = await this.connection.run((redis) => redis.lrange(runKeys(id).usage, 0, -1));
    const totals = emptyTotals();
    for (const entry of entries) {
      const record = parseUsageRecord(entry);
      if (record) addToTotals(totals, record);
    }
    return totals.attempts === 0 ? undefined : totals;
  }

  async usageRecords(since: string): Promise<UsageRecord[]> {
    const start = Date.parse(since);
    if (!Number.isFinite(start)) throw new Error(`"${since}" is not a time: give one as 2026-12-01 or 2026-12-01T10:00:00Z.`);
    const months = await this.usageMonths(new Date(start).toISOString().slice(0, 7));
    const lists = await Promise.all(months.map((month) => this.connection.run((redis) => redis.lrange(monthUsageKey(month), 0, -1))));
    const records: UsageRecord[] = [];
    for (const entry of lists.flat()) {
      const record = parseUsageRecord(entry);
      if (record && Date.parse(record.time) >= start) records.push(record);
    }
    // Each list is in the order the records arrived; workers' clocks and calls interleave.
    return records.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  }

  async close(): Promise<void> {
    this.keeper.clear();
    await this.connection.close();
  }

  /** The months from `asked` (`yyyy-mm`) to the next one (a worker's clock may run ahead), oldest first: no scan of the keys. */
  private async usageMonths(asked: string): Promise<string[]> {
    // No month before the oldest run's (less one: a worker's clock may run behind): an old `since` reads no empty months.
    const oldest = await this.connection.run((redis) => redis.zrange(runsKey, 0, 0, "WITHSCORES"));
    if (oldest.length < 2) return [];
    const before = new Date(Number(oldest[1]));
    before.setUTCMonth(before.getUTCMonth() - 1);
    const first = [asked, before.toISOString().slice(0, 7)].sort()[1]!;
    const months: string[] = [];
    const last = new Date();
    last.setUTCMonth(last.getUTCMonth() + 1);
    const end = last.toISOString().slice(0, 7);
    for (let year = Number(first.slice(0, 4)), month = Number(first.slice(5, 7)); ; month += 1) {
      if (month > 12) {
        year += 1;
        month = 1;
      }
      const name = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
      if (name > end) break;
      months.push(name);
    }
    return months;
  }

  /** A refused write: the lease is another's (or gone); this store stops renewing it. */
  private lost(id: string, token: string): LeaseLost {
    this.keeper.forget(id, token);
    return new LeaseLost(id);
  }
}

/**
 * The store in Redis at `url` (given with --queue); connects on first use (ioredis is loaded
 * then). `PROSE_LEASE_MILLISECONDS`, when set, is the lease's length for this process.
 */
export function openRedisRunStore(url: string, environment: NodeJS.ProcessEnv = process.env): SharedRunStore {
  const lease = environment.PROSE_LEASE_MILLISECONDS;
  if (lease !== undefined && lease !== "") {
    const milliseconds = Number(lease);
    if (!Number.isInteger(milliseconds) || milliseconds < 3) throw new RunStoreUnavailableError(`PROSE_LEASE_MILLISECONDS is "${lease}": give a whole number of milliseconds (30000 unless set), or unset it.`);
    setLeaseTiming(milliseconds);
  }
  return new RedisRunStore(new RedisConnection(url, runStorePurpose));
}

/** The record as a reader shows it, from the record, the lease and the lease's remaining time. */
function shown(text: string | null, leaseText: string | null, ttl: number, now: number): RunRecord | undefined {
  if (text === null) return undefined;
  const record = parseRecord(text);
  if (record === undefined) return undefined;
  const lease = leaseText === null ? undefined : parseLease(leaseText);
  if (lease?.queued === true) return { ...withoutLease(record), status: "running", holder: queueHolder, leaseUntil: queuedLeaseUntil };
  if (lease !== undefined) {
    const { pid: _pid, ...rest } = record;
    return { ...rest, holder: lease.holder, leaseUntil: ttl >= 0 ? new Date(now + ttl).toISOString() : queuedLeaseUntil };
  }
  // No one holds it: a "running" run without a lease reads as interrupted (`shownStatus`).
  return withoutLease(record);
}

function parseRecord(text: string): RunRecord | undefined {
  try {
    const record = JSON.parse(text) as RunRecord;
    return record !== null && typeof record === "object" && typeof record.id === "string" ? record : undefined;
  } catch {
    return undefined;
  }
}

function parseLease(text: string): { holder: LeaseHolder; queued: boolean } | undefined {
  try {
    const lease = JSON.parse(text) as { holder?: LeaseHolder; queued?: boolean };
    if (lease === null || typeof lease !== "object" || lease.holder === undefined || typeof lease.holder !== "object") return undefined;
    return { holder: lease.holder, queued: lease.queued === true };
  } catch {
    return undefined;
  }
}

function creationMilliseconds(record: RunRecord): number {
  const created = Date.parse(record.timings.createdAt);
  return Number.isFinite(created) ? created : Date.now();
}
