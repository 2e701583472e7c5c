import { fdatasync, write } from "node:fs";

/**
 * What a group commit needs of the file system: the seam a test replaces to count the fsyncs
 * (src/runtime/file-journal.ts uses `nodeCommitFs`). Both run on libuv's thread pool, never on
 * the event loop.
 */
export interface CommitFs {
  /** Writes bytes at the end of a file opened for appending; how many were written. */
  write(descriptor: number, bytes: Buffer, offset: number, length: number): Promise<number>;
  fdatasync(descriptor: number): Promise<void>;
}

export const nodeCommitFs: CommitFs = {
  write: (descriptor, bytes, offset, length) =>
    new Promise((resolve, reject) => write(descriptor, bytes, offset, length, null, (problem, written) => (problem ? reject(problem) : resolve(written)))),
  fdatasync: (descriptor) => new Promise((resolve, reject) => fdatasync(descriptor, (problem) => (problem ? reject(problem) : resolve()))),
};

interface Waiter {
  durable: boolean;
  resolve(): void;
  reject(problem: Error): void;
}

/**
 * Group commit for one append-only file: lines added are queued, and written and fdatasync'ed
 * together, asynchronously. While one commit is on its way to the disk, every line added
 * meanwhile (by every strand of the run) waits for the next, which takes them all with one
 * write and one fdatasync: a run that makes 200 durable steps at once pays a few fsyncs, not 200,
 * and the event loop (every other run in the process) never waits for the disk.
 *
 * A durable line's promise resolves once it is on disk; a line that is not durable resolves once
 * written (it reaches the disk with the next fdatasync, or `drain`). Commits are in order: a
 * durable line is on disk only after every line added before it. A failed write or fsync fails
 * the file for good (a half-written batch must not be followed by more): every durable line
 * waiting, and every later one, is refused with the error.
 */
export class GroupCommit {
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private syncWanted = false;
  /** Written since the last fdatasync. */
  private unsynced = false;
  private scheduled = false;
  private running: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly descriptor: number,
    private readonly fs: CommitFs = nodeCommitFs,
  ) {}

  /** The error that failed the file, if any. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Queues `bytes`; see the class for when the promise resolves. Never rejects a line that is not durable. */
  add(bytes: Buffer, durable: boolean): Promise<void> {
    if (this.failure) return durable ? Promise.reject(this.failure) : Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ durable, resolve, reject }));
    this.pending.push(bytes);
    if (durable) this.syncWanted = true;
    // While a commit runs, it takes these next (or schedules them when it ends).
    if (!this.running) this.schedule();
    return done;
  }

  /** Writes and fdatasyncs everything queued; rejects when the file failed. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      else if (this.pending.length > 0) this.start();
      else break;
    }
    if (this.failure) throw this.failure;
    if (this.unsynced) {
      await this.fs.fdatasync(this.descriptor);
      this.unsynced = false;
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // The lines added in this turn of the event loop go together.
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    if (this.running || this.pending.length === 0) return;
    this.running = this.commitAll().finally(() => {
      this.running = undefined;
      // Lines added by the strands its last commit resumed, before it was told done.
      if (this.pending.length > 0 && !this.failure) this.schedule();
    });
  }

  /** One commit after another while lines keep coming. */
  private async commitAll(): Promise<void> {
    while (this.pending.length > 0 && !this.failure) {
      const batch = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      const waiters = this.waiters;
      const sync = this.syncWanted;
      this.pending = [];
      this.waiters = [];
      this.syncWanted = false;
      try {
        let written = 0;
        while (written < batch.length) written += await this.fs.write(this.descriptor, batch, written, batch.length - written);
        if (sync) {
          await this.fs.fdatasync(this.descriptor);
          this.unsynced = false;
        } else {
          this.unsynced = true;
        }
        for (const waiter of waiters) waiter.resolve();
      } catch (problem) {
        this.failure = problem instanceof Error ? problem : new Error(String(problem));
        for (const waiter of [...waiters, ...this.waiters]) {
          if (waiter.durable) waiter.reject(this.failure);
          else waiter.resolve();
        }
        this.pending = [];
        this.waiters = [];
      }
    }
  }
}
