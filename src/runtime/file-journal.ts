import { close as closeDescriptor, closeSync, mkdirSync, openSync, readSync, truncateSync } from "node:fs";
import { dirname } from "node:path";
import { GroupCommit, nodeCommitFs, type CommitFs } from "./group-commit.js";
import { isJournalRecord, JournalRecordTooLarge, MemoryJournal, type JournalRecord } from "./journal.js";

const header = { prose: "journal", version: 1 };

/**
 * The longest line the journal writes or reads: a model's answer is at most 25 MB (the bound on
 * answers, PROSE_MAX_ANSWER_BYTES, see src/llm/answer-checks.ts), kept as text and, when
 * structured, as JSON too. A longer line (from a version of Prose without the bound) is skipped
 * when the journal is read, without ever being held whole in memory.
 */
export const maxJournalLineBytes = 64_000_000;

/** The journal is read this much at a time. */
const readBytes = 1024 * 1024;

export interface JournalOpening {
  /** Records read back from an earlier attempt of the run. */
  replayable: number;
  /** A last line cut short by a crash, dropped from the file. */
  tornLine: boolean;
  /** Whole lines that were not records (damaged, or from another version), skipped. */
  skippedLines: number;
  /** Lines longer than `maxJournalLineBytes`, skipped without being read whole. */
  oversizeLines: number;
}

/**
 * The journal as a JSON Lines file (`runs/<run id>/journal.jsonl` in the workspace): a header
 * line, then one record per line, on a file opened for appending. Records are group-committed
 * (`GroupCommit`): queued, then written and fdatasync'ed asynchronously in batches, so a run with
 * many strands, or a process with many runs, never waits on the event loop for the disk. A
 * durable record's `append` resolves once it is on disk, and the interpreter awaits it before the
 * step's result is used, so a crash (even kill -9) at any moment loses at most the steps in
 * progress. A torn last line is cut off when the journal is opened again; the resumed run appends
 * to the same file. No line is longer than `maxJournalLineBytes`: a longer record is refused
 * (`JournalRecordTooLarge`), and the file is read line by line with that bound.
 */
export class FileJournal extends MemoryJournal {
  private closed = false;
  private readonly commit: GroupCommit;

  private constructor(
    readonly path: string,
    private readonly descriptor: number,
    records: JournalRecord[],
    readonly opening: JournalOpening,
    fs: CommitFs,
  ) {
    super(records);
    this.commit = new GroupCommit(descriptor, fs);
  }

  /**
   * Opens the journal at `path`, creating it (and its folder) when missing. `fs` replaces the
   * writes and fsyncs (tests count them).
   */
  static open(path: string, options: { fs?: CommitFs } = {}): FileJournal {
    mkdirSync(dirname(path), { recursive: true });
    const { records, opening, empty } = readExisting(path);
    const descriptor = openSync(path, "a", 0o600);
    const journal = new FileJournal(path, descriptor, records, opening, options.fs ?? nodeCommitFs);
    // The header reaches the disk with the first durable record.
    if (empty) void journal.commit.add(Buffer.from(`${JSON.stringify(header)}\n`, "utf8"), false);
    return journal;
  }

  override append(record: JournalRecord, options: { durable?: boolean } = {}): Promise<void> {
    if (this.closed) throw new Error(`The journal ${this.path} is closed.`);
    const line = `${JSON.stringify(record)}\n`;
    // A UTF-8 byte is at most three per UTF-16 unit: the exact count only for lines near the bound.
    const bytes = line.length * 3 <= maxJournalLineBytes ? line.length : Buffer.byteLength(line, "utf8");
    if (bytes > maxJournalLineBytes) throw new JournalRecordTooLarge(bytes, maxJournalLineBytes);
    const done = this.commit.add(Buffer.from(line, "utf8"), options.durable === true);
    this.remember(record);
    return done.catch((problem: unknown) => {
      throw new JournalWriteFailed(this.path, problem);
    });
  }

  /** Writes and fdatasyncs what is queued, then lets go of the file; rejects when a write failed. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.commit.drain();
    } catch (problem) {
      throw new JournalWriteFailed(this.path, problem);
    } finally {
      await new Promise<void>((resolve) => closeDescriptor(this.descriptor, () => resolve()));
    }
  }
}

/** The journal could not be written (a full disk, a removed folder): the step is not journaled, and the run stops. */
export class JournalWriteFailed extends Error {
  override readonly name = "JournalWriteFailed";
  readonly code: string | undefined;
  constructor(
    readonly path: string,
    problem: unknown,
  ) {
    const code = (problem as NodeJS.ErrnoException | undefined)?.code;
    super(`I can't write the run's journal ${path} (${code ?? (problem instanceof Error ? problem.message : String(problem))}): the run stops here. Free space on that disk (or give its folder back), then resume the run with --resume; steps already journaled are not done again.`);
    this.code = code;
  }
}

function readExisting(path: string): { records: JournalRecord[]; opening: JournalOpening; empty: boolean } {
  const opening: JournalOpening = { replayable: 0, tornLine: false, skippedLines: 0, oversizeLines: 0 };
  let descriptor: number;
  try {
    descriptor = openSync(path, "r");
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return { records: [], opening, empty: true };
    throw problem;
  }
  const records: JournalRecord[] = [];
  const line = new LineCollector(maxJournalLineBytes);
  const finishLine = (): void => {
    const text = line.take();
    if (text === undefined) {
      opening.oversizeLines += 1;
      return;
    }
    if (text.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      opening.skippedLines += 1;
      return;
    }
    if (isJournalRecord(parsed)) records.push(parsed);
    else if (!isHeader(parsed)) opening.skippedLines += 1;
  };
  /** Where the last whole line ends: what follows it was cut short by a crash. */
  let end = 0;
  let position = 0;
  try {
    const buffer = Buffer.allocUnsafe(readBytes);
    for (;;) {
      const count = readSync(descriptor, buffer, 0, readBytes, position);
      if (count === 0) break;
      const chunk = buffer.subarray(0, count);
      let start = 0;
      for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
        line.add(chunk.subarray(start, newline));
        finishLine();
        start = newline + 1;
        end = position + start;
      }
      line.add(chunk.subarray(start));
      position += count;
    }
  } finally {
    closeSync(descriptor);
  }
  if (end < position) {
    // The last line has no newline: its write was cut short. Drop it so the next append
    // starts a line of its own.
    truncateSync(path, end);
    opening.tornLine = true;
  }
  opening.replayable = records.length;
  return { records, opening, empty: end === 0 };
}

/** One line's bytes, up to a bound: past it, they are dropped and the line is known to be too long. */
class LineCollector {
  private pieces: Buffer[] = [];
  private bytes = 0;
  private oversize = false;

  constructor(private readonly maxBytes: number) {}

  add(piece: Buffer): void {
    if (this.oversize || piece.length === 0) return;
    this.bytes += piece.length;
    if (this.bytes > this.maxBytes) {
      this.oversize = true;
      this.pieces = [];
      return;
    }
    // The read buffer is used again: the piece is copied.
    this.pieces.push(Buffer.from(piece));
  }

  /** The line's text, or undefined when it was too long; the collector starts the next line. */
  take(): string | undefined {
    const text = this.oversize ? undefined : Buffer.concat(this.pieces, this.bytes).toString("utf8");
    this.pieces = [];
    this.bytes = 0;
    this.oversize = false;
    return text;
  }
}

function isHeader(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>).prose === "journal";
}
