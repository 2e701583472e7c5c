import type { RedisConnection } from "../../llm/shared-limits/redis-connection.js";
import { maxJournalLineBytes } from "../../runtime/file-journal.js";
import { isJournalRecord, JournalRecordTooLarge, MemoryJournal, type JournalRecord } from "../../runtime/journal.js";
import { appendScript, runKeys } from "./redis-run-scripts.js";
import { LeaseLost } from "./shared-run-store.js";
import type { RunStoreUnavailableError } from "./run-store-unavailable.js";

/** What the list held that was not a record of this version, when the journal was opened. */
export interface RedisJournalOpening {
  replayable: number;
  skippedEntries: number;
}

/**
 * A run's journal in Redis (`prose:run:<id>:journal`, one record's JSON per list entry), for the
 * attempt holding the run's lease with `token`. Each `append` sends its fenced RPUSH at once, on
 * the store's one connection: Redis runs the commands of one connection in the order they were
 * sent, so records are kept in order, and after the usage records the router sent before them.
 * A durable append resolves once Redis has the record (and so every record before it); an append
 * Redis refused (the lease is another's) rejects with `LeaseLost`, and so does every later one.
 * A non-durable append never rejects: its failure is reported by the next durable one, or `close`.
 */
export class RedisJournal extends MemoryJournal {
  private closed = false;
  /** The lease was found another's: every later append is refused. */
  private lost: LeaseLost | undefined;
  /** The first failed non-durable append (by its place in the sending order), for the next durable append or `close`. */
  private failure: { sequence: number; error: Error } | undefined;
  /** Appends sent so far. */
  private sent = 0;
  /** Appends sent and not yet answered. */
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly connection: RedisConnection<RunStoreUnavailableError>,
    readonly runId: string,
    private readonly token: string,
    records: JournalRecord[],
    readonly opening: RedisJournalOpening,
  ) {
    super(records);
  }

  /** Reads the records kept so far (entries that are not records of this version are skipped). */
  static async open(connection: RedisConnection<RunStoreUnavailableError>, runId: string, token: string): Promise<RedisJournal> {
    const entries = await connection.run((redis) => redis.lrange(runKeys(runId).journal, 0, -1));
    const records: JournalRecord[] = [];
    let skippedEntries = 0;
    for (const entry of entries) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(entry);
      } catch {
        skippedEntries += 1;
        continue;
      }
      if (isJournalRecord(parsed)) records.push(parsed);
      else skippedEntries += 1;
    }
    return new RedisJournal(connection, runId, token, records, { replayable: records.length, skippedEntries });
  }

  override append(record: JournalRecord, options: { durable?: boolean } = {}): Promise<void> {
    if (this.closed) throw new Error(`The journal of the run ${this.runId} is closed.`);
    const durable = options.durable === true;
    if (this.lost) {
      // Not sent: the lease is another's. A non-durable append still never rejects.
      this.failure ??= { sequence: this.sent, error: this.lost };
      return durable ? Promise.reject(this.lost) : Promise.resolve();
    }
    const line = JSON.stringify(record);
    // A UTF-8 byte is at most three per UTF-16 unit: the exact count only for records near the bound.
    const bytes = line.length * 3 <= maxJournalLineBytes ? line.length : Buffer.byteLength(line, "utf8");
    if (bytes > maxJournalLineBytes) throw new JournalRecordTooLarge(bytes, maxJournalLineBytes);
    const keys = runKeys(this.runId);
    const sequence = ++this.sent;
    const earlier = [...this.inFlight];
    const sent = this.connection.run((redis) => redis.eval(appendScript, 2, keys.lease, keys.journal, this.token, line) as Promise<number>).then((kept) => {
      if (kept !== 1) {
        this.lost ??= new LeaseLost(this.runId);
        throw this.lost;
      }
    });
    this.remember(record);
    const settled = sent.then(
      () => undefined,
      (problem: unknown) => {
        // A durable append's failure is its caller's; a non-durable one's waits to be reported.
        if (!durable && (this.failure === undefined || this.failure.sequence > sequence)) this.failure = { sequence, error: problem instanceof Error ? problem : new Error(String(problem)) };
      },
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    if (!durable) return settled;
    // The appends sent before this one were answered before it (one connection, in order): a
    // failure among them is this one's too, since the journal would not hold what came before.
    return sent.then(async () => {
      await Promise.all(earlier);
      if (this.failure !== undefined && this.failure.sequence < sequence) throw this.failure.error;
    });
  }

  /** Waits for the appends on their way; rejects when one of them failed. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    if (this.failure) throw this.failure.error;
  }
}
