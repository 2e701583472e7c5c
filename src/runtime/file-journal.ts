import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { isJournalRecord, MemoryJournal, type JournalRecord } from "./journal.js";

const header = { prose: "journal", version: 1 };

export interface JournalOpening {
  /** Records read back from an earlier attempt of the run. */
  replayable: number;
  /** A last line cut short by a crash, dropped from the file. */
  tornLine: boolean;
  /** Whole lines that were not records (damaged, or from another version), skipped. */
  skippedLines: number;
}

/**
 * The journal as a JSON Lines file (`runs/<run id>/journal.jsonl` in the workspace): a header
 * line, then one record per line. Each record is appended with one write(2) on a file opened
 * for appending, and durable records are fsynced before the step's result is used, so a crash
 * (even kill -9) at any moment loses at most the step in progress. A torn last line is cut off
 * when the journal is opened again; the resumed run appends to the same file.
 */
export class FileJournal extends MemoryJournal {
  private unsynced = false;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly descriptor: number,
    records: JournalRecord[],
    readonly opening: JournalOpening,
  ) {
    super(records);
  }

  /** Opens the journal at `path`, creating it (and its folder) when missing. */
  static open(path: string): FileJournal {
    mkdirSync(dirname(path), { recursive: true });
    const { records, opening, empty } = readExisting(path);
    const descriptor = openSync(path, "a", 0o600);
    const journal = new FileJournal(path, descriptor, records, opening);
    if (empty) journal.write(`${JSON.stringify(header)}\n`, true);
    return journal;
  }

  override append(record: JournalRecord, options: { durable?: boolean } = {}): void {
    if (this.closed) throw new Error(`The journal ${this.path} is closed.`);
    this.write(`${JSON.stringify(record)}\n`, options.durable === true);
    this.remember(record);
  }

  override close(): void {
    if (this.closed) return;
    if (this.unsynced) fdatasyncSync(this.descriptor);
    closeSync(this.descriptor);
    this.closed = true;
  }

  private write(line: string, durable: boolean): void {
    const bytes = Buffer.from(line, "utf8");
    let written = 0;
    while (written < bytes.length) written += writeSync(this.descriptor, bytes, written, bytes.length - written);
    if (durable) {
      fdatasyncSync(this.descriptor);
      this.unsynced = false;
    } else {
      this.unsynced = true;
    }
  }
}

function readExisting(path: string): { records: JournalRecord[]; opening: JournalOpening; empty: boolean } {
  const opening: JournalOpening = { replayable: 0, tornLine: false, skippedLines: 0 };
  let contents: Buffer;
  try {
    contents = readFileSync(path);
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return { records: [], opening, empty: true };
    throw problem;
  }
  const end = contents.lastIndexOf(0x0a) + 1;
  if (end < contents.length) {
    // The last line has no newline: its write was cut short. Drop it so the next append
    // starts a line of its own.
    truncateSync(path, end);
    opening.tornLine = true;
  }
  const records: JournalRecord[] = [];
  const lines = contents.subarray(0, end).toString("utf8").split("\n");
  for (const line of lines) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      opening.skippedLines += 1;
      continue;
    }
    if (isJournalRecord(parsed)) records.push(parsed);
    else if (!isHeader(parsed)) opening.skippedLines += 1;
  }
  opening.replayable = records.length;
  return { records, opening, empty: end === 0 };
}

function isHeader(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>).prose === "journal";
}
