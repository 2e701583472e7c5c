import { mkdir, open, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { UsageRecord, UsageSink } from "./usage-record.js";

/** The workspace folder that holds the usage records, one JSON Lines file per month (UTC). */
export const usageFolderName = "usage";

export function usageFile(workspace: string, time: string): string {
  return join(workspace, usageFolderName, `${time.slice(0, 7)}.jsonl`);
}

/**
 * Appends usage records to `usage/<yyyy-mm>.jsonl` in the workspace, in the background so that
 * calls never wait on the disk: each record is one `write` of one whole line to a file opened
 * for appending (so concurrent runs never interleave halves of lines), and each batch ends with an
 * fsync. `flush()` resolves when every record given so far is on disk.
 */
export class UsageLog implements UsageSink {
  private pending: UsageRecord[] = [];
  private draining: Promise<void> | undefined;
  private readonly folders = new Set<string>();
  private reported = false;

  /** `onError` hears once, in English, that records could not be written (a read-only workspace). */
  constructor(
    readonly workspace: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  record(record: UsageRecord): void {
    this.pending.push(record);
    this.draining ??= Promise.resolve().then(() => this.drain());
  }

  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        await this.append(batch);
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async append(batch: UsageRecord[]): Promise<void> {
    const byFile = new Map<string, string[]>();
    for (const record of batch) {
      const path = usageFile(this.workspace, record.time);
      let lines = byFile.get(path);
      if (lines === undefined) byFile.set(path, (lines = []));
      lines.push(`${JSON.stringify(record)}\n`);
    }
    for (const [path, lines] of byFile) {
      try {
        const folder = join(this.workspace, usageFolderName);
        if (!this.folders.has(folder)) {
          await mkdir(folder, { recursive: true });
          this.folders.add(folder);
        }
        const handle = await open(path, "a", 0o644);
        try {
          for (const line of lines) await handle.write(line);
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (problem) {
        if (!this.reported) {
          this.reported = true;
          const reason = problem instanceof Error ? problem.message : String(problem);
          this.onError(`Usage records could not be written to ${path} (${reason}); this run's model calls are not in \`prose usage\`.`);
        }
      }
    }
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
      const record = parseRecord(line);
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

function parseRecord(line: string): UsageRecord | undefined {
  try {
    const value = JSON.parse(line) as Partial<UsageRecord>;
    const valid = typeof value === "object" && value !== null && typeof value.time === "string" && typeof value.providerId === "string" && typeof value.model === "string" && typeof value.outcome === "string";
    return valid ? (value as UsageRecord) : undefined;
  } catch {
    return undefined;
  }
}
