import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import { writeFileAtomically } from "../platform/atomic-file.js";
import { processIsGone } from "../platform/process-leftovers.js";
import { processStartTime } from "../platform/process-start.js";

/**
 * A run's lease: which process runs it, and until when that process last promised to. A process
 * may run many runs (`prose serve`), so a run's liveness is its lease, not a PID: run.json holds
 * `holder` and `leaseUntil` while the run runs; the holder renews the lease of every run it holds
 * (one timer per process, `LeaseKeeper`), and lets go of it when the run ends or waits.
 */
export interface LeaseHolder {
  pid: number;
  host: string;
  /** The holder's start time (Linux: clock ticks after boot, see `processStartTime`), to tell a reused PID; absent elsewhere. */
  processStartedAt?: string;
  /** Random, unique to this holding. */
  token: string;
}

export interface RunLease {
  holder: LeaseHolder;
  /** ISO time; past it, the run is not running whoever holds it. */
  leaseUntil: string;
}

/** How long a lease lasts, and how often the keeper renews the leases it holds (a third of that). */
export const leaseTiming = { leaseMilliseconds: 30_000, renewMilliseconds: 10_000 };

/** Tests shorten the lease (the next renewal uses it). */
export function setLeaseTiming(leaseMilliseconds: number, renewMilliseconds = Math.max(1, Math.floor(leaseMilliseconds / 3))): void {
  leaseTiming.leaseMilliseconds = leaseMilliseconds;
  leaseTiming.renewMilliseconds = renewMilliseconds;
  keeper.restartTimer();
}

let thisProcessHolder: Omit<LeaseHolder, "token"> | undefined;

/** This process as a lease holder names it. */
export function thisProcess(): Omit<LeaseHolder, "token"> {
  if (!thisProcessHolder) {
    const started = processStartTime(process.pid);
    thisProcessHolder = { pid: process.pid, host: hostname(), ...(started === undefined ? {} : { processStartedAt: started }) };
  }
  return thisProcessHolder;
}

/**
 * A new lease held by this process, from now. Leases keep real time, whatever clock a run is given
 * (a test's, a replayed one): liveness is read against the reader's clock.
 */
export function newLease(): RunLease {
  return { holder: { ...thisProcess(), token: randomBytes(12).toString("hex") }, leaseUntil: new Date(Date.now() + leaseTiming.leaseMilliseconds).toISOString() };
}

/** Whether the holder's process is still there: judged on its own host only (another host's is taken as alive). */
export function holderIsAlive(holder: LeaseHolder): boolean {
  if (holder.host !== hostname()) return true;
  if (processIsGone(holder.pid)) return false;
  if (holder.processStartedAt === undefined) return true;
  const started = processStartTime(holder.pid);
  return started === undefined || started === holder.processStartedAt;
}

/**
 * Whether a lease says its run runs: unexpired, and (on this host) its holder process — the same
 * PID with the same start time — still there. A holder gone on this host ends the lease at once;
 * another host's only by its expiry.
 */
export function leaseIsLive(lease: RunLease, now: Date = new Date(), isAlive: (holder: LeaseHolder) => boolean = holderIsAlive): boolean {
  const until = Date.parse(lease.leaseUntil);
  if (!Number.isFinite(until) || until <= now.getTime()) return false;
  return isAlive(lease.holder);
}

/** A run record as the keeper writes it: run.json's contents, with the lease. */
export interface LeasedRecord extends Partial<RunLease> {
  id: string;
}

interface Held {
  workspace: string;
  record: LeasedRecord;
  /** The renewal on its way to the disk: `release` waits for it, so that it never lands after the run's last write. */
  writing: Promise<void> | undefined;
}

/**
 * The leases this process holds, renewed together by one timer (unref'd: it keeps no process
 * alive). While a run is held, its run.json is written by its holder only: the renewal writes the
 * record the run gave (`hold`), with the lease moved on, atomically and off the event loop.
 */
export class LeaseKeeper {
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  /** Renewals written, for tests and the benchmark. */
  renewals = 0;

  constructor(private readonly runFile: (workspace: string, id: string) => string = (workspace, id) => join(workspace, "runs", id, "run.json")) {}

  /** Holds the run whose run.json (`record`, with this process's lease) was just written. */
  hold(workspace: string, record: LeasedRecord): void {
    this.held.set(key(workspace, record.id), { workspace, record, writing: undefined });
    if (!this.timer) this.restartTimer();
  }

  /** Stops renewing the run's lease; resolves once no renewal of it is on its way to the disk. */
  async release(workspace: string, id: string): Promise<void> {
    const held = this.held.get(key(workspace, id));
    if (!held) return;
    this.held.delete(key(workspace, id));
    if (this.held.size === 0) this.stopTimer();
    await held.writing?.catch(() => undefined);
  }

  /** How many runs this process holds. */
  get size(): number {
    return this.held.size;
  }

  /** Whether the one renewal timer is set (it is while any run is held). */
  get ticking(): boolean {
    return this.timer !== undefined;
  }

  /** Renews every lease held now (the timer's work; tests call it too). */
  async renewAll(now: Date = new Date()): Promise<void> {
    const leaseUntil = new Date(now.getTime() + leaseTiming.leaseMilliseconds).toISOString();
    const writes: Promise<void>[] = [];
    for (const held of this.held.values()) {
      // One renewal at a time per run; a slow disk skips a turn rather than queueing writes.
      if (held.writing || !held.record.holder) continue;
      held.record = { ...held.record, leaseUntil };
      const file = this.runFile(held.workspace, held.record.id);
      const writing = writeFileAtomically(file, `${JSON.stringify(held.record, null, 2)}\n`, { mode: 0o600 })
        .then(() => {
          this.renewals += 1;
        })
        .catch(() => {
          // The run's folder is gone or the disk full: the lease runs out, and the run shows as interrupted.
        })
        .finally(() => {
          held.writing = undefined;
        });
      held.writing = writing;
      writes.push(writing);
    }
    await Promise.all(writes);
  }

  restartTimer(): void {
    this.stopTimer();
    if (this.held.size === 0) return;
    this.timer = setInterval(() => void this.renewAll(), leaseTiming.renewMilliseconds);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

function key(workspace: string, id: string): string {
  return `${workspace}\u0000${id}`;
}

/** The one keeper of this process. */
export const keeper = new LeaseKeeper();
