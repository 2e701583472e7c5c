import { type FileHandle, mkdir, open, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { UsageRecord, UsageSink } from "./usage-record.js";

/** The workspace folder that holds the usage records, one JSON Lines file per month (UTC). */
export const usageFolderName = "usage";

export function usageFile(workspace: string, time: string): string {
  return join(workspace, usageFolderName, `${time.slice(0, 7)}.jsonl`);
}

/** Records given within this time go to the file in one write. */
const batchMilliseconds = 20;
/** Records reach the disk (fsync) at most this long after they are written, and at `flush()`. */
const syncMilliseconds = 100;
/** The file stays open this long after its last record, so that a run's records share it. */
const idleCloseMilliseconds = 1000;

/**
 * Appends usage records to `usage/<yyyy-mm>.jsonl` in the workspace, in the background so that
 * calls never wait on the disk. The records given within 20 ms go as whole lines in
 * one `write` to the file opened for appending (so concurrent runs never interleave parts of
 * lines); an fsync follows within 100 ms, grouping the writes of busy moments. `flush()` resolves
 * when every record given so far is written and synced, and closes the file.
 */
export class UsageLog implements UsageSink {
  private pending: UsageRecord[] = [];
  /** File work, one task after another. */
  private tail: Promise<void> = Promise.resolve();
  private writeScheduled = false;
  private file: { path: string; handle: FileHandle; unsynced: boolean } | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastWriteAt = 0;
  private reported = false;
  /** The last record's month and file (a month has many records). */
  private month: { name: string; path: string } | undefined;

  /** `onError` hears once, in English, that records could not be written (a read-only workspace). */
  constructor(
    readonly workspace: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  record(record: UsageRecord): void {
    this.pending.push(record);
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setTimeout(() => {
      this.writeScheduled = false;
      void this.enqueue(() => this.writePending());
    }, batchMilliseconds);
  }

  async flush(): Promise<void> {
    await this.enqueue(() => this.writePending());
    await this.enqueue(() => this.close());
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.tail = this.tail.then(task).catch((problem: unknown) => this.report(problem));
    return this.tail;
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    let path = "";
    let lines = "";
    for (const record of batch) {
      const recordPath = this.fileOf(record.time);
      if (recordPath !== path && lines !== "") {
        await this.write(path, lines);
        lines = "";
      }
      path = recordPath;
      lines += `${JSON.stringify(record)}\n`;
    }
    await this.write(path, lines);
    if (this.syncTimer === undefined) {
      this.syncTimer = setTimeout(() => {
        this.syncTimer = undefined;
        void this.enqueue(() => this.sync());
      }, syncMilliseconds);
      this.syncTimer.unref();
    }
    this.lastWriteAt = performance.now();
    if (this.idleTimer === undefined) this.closeWhenIdle(idleCloseMilliseconds);
  }

  /** Closes the file once no record was written for `idleCloseMilliseconds` (one timer, not one per write). */
  private closeWhenIdle(delay: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const idleFor = performance.now() - this.lastWriteAt;
      if (idleFor >= idleCloseMilliseconds) void this.enqueue(() => this.close());
      else this.closeWhenIdle(idleCloseMilliseconds - idleFor);
    }, delay);
    this.idleTimer.unref();
  }

  private fileOf(time: string): string {
    const name = time.slice(0, 7);
    if (this.month?.name !== name) this.month = { name, path: usageFile(this.workspace, time) };
    return this.month.path;
  }

  private async write(path: string, lines: string): Promise<void> {
    try {
      if (this.file?.path !== path) {
        await this.close();
        await mkdir(dirname(path), { recursive: true });
        this.file = { path, handle: await open(path, "a", 0o644), unsynced: false };
      }
      this.file.unsynced = true;
      await this.file.handle.write(lines);
    } catch (problem) {
      throw Object.assign(problem as Error, { usagePath: path });
    }
  }

  private async sync(): Promise<void> {
    if (this.file?.unsynced !== true) return;
    this.file.unsynced = false;
    await this.file.handle.sync();
  }

  private async close(): Promise<void> {
    for (const timer of [this.syncTimer, this.idleTimer]) if (timer !== undefined) clearTimeout(timer);
    this.syncTimer = undefined;
    this.idleTimer = undefined;
    if (this.file === undefined) return;
    try {
      await this.sync();
    } finally {
      const { handle } = this.file;
      this.file = undefined;
      await handle.close().catch(() => undefined);
    }
  }

  private report(problem: unknown): void {
    if (this.file !== undefined) {
      const { handle } = this.file;
      this.file = undefined;
      handle.close().catch(() => undefined);
    }
    if (this.reported) return;
    this.reported = true;
    const path = (problem as { usagePath?: string; path?: string }).usagePath ?? (problem as { path?: string }).path ?? join(this.workspace, usageFolderName);
    const reason = problem instanceof Error ? problem.message : String(problem);
    this.onError(`Usage records could not be written to ${path} (${reason}); this run's model calls are not in \`prose usage\`.`);
  }
}

/** Which records to read: all of them, or those of an agent, a project, since a time. */
export interface UsageQuery {
  agent?: string;
  project?: string;
  since?: Date;
}

export interface UsageRead {
  records: UsageRecord[];
  /** Lines that are not records (a line cut by a crash, a hand edit); left out. */
  unreadableLines: number;
}

/** The workspace's usage records that match the query, oldest file first. */
export async function readUsageRecords(workspace: string, query: UsageQuery = {}): Promise<UsageRead> {
  const folder = join(workspace, usageFolderName);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return { records: [], unreadableLines: 0 };
    throw problem;
  }
  const sinceMonth = query.since?.toISOString().slice(0, 7);
  const sinceTime = query.since?.getTime();
  const files = names.filter((name) => /^\d{4}-\d{2}\.jsonl$/.test(name) && (sinceMonth === undefined || name.slice(0, 7) >= sinceMonth)).sort();
  const records: UsageRecord[] = [];
  let unreadableLines = 0;
  for (const name of files) {
    for (const line of (await readFile(join(folder, name), "utf8")).split("\n")) {
      if (line.trim() === "") continue;
      const record = parseUsageRecord(line);
      if (record === undefined) {
        unreadableLines += 1;
        continue;
      }
      if (query.agent !== undefined && record.agent !== query.agent) continue;
      if (query.project !== undefined && record.project !== query.project) continue;
      if (sinceTime !== undefined && Date.parse(record.time) < sinceTime) continue;
      records.push(record);
    }
  }
  return { records, unreadableLines };
}

/** A usage record's JSON line (the log's, or a shared run store's entry), or undefined when it is not one. */
export function parseUsageRecord(line: string): UsageRecord | undefined {
  try {
    const value = JSON.parse(line) as Partial<UsageRecord>;
    const valid = typeof value === "object" && value !== null && typeof value.time === "string" && typeof value.providerId === "string" && typeof value.model === "string" && typeof value.outcome === "string";
    return valid ? (value as UsageRecord) : undefined;
  } catch {
    return undefined;
  }
}
