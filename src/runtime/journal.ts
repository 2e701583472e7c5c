import { createHash } from "node:crypto";
import type { Answer } from "./questions.js";

/**
 * A run's journal: the result of every step the script alone does not determine — model calls,
 * file reads, the clock, waits — and every answer the run took. A resumed run executes the
 * script again and takes each journaled result instead of redoing the step.
 *
 * Steps are found by key (see `Strand`: the iteration path, the statement's place, the kind of
 * step and how many such steps that place made before). A step also carries a fingerprint of
 * what it asked for (a model request's hash, a file's path): when the script changed, the
 * fingerprint differs, and the step is done again instead of replaying a wrong result.
 */

export type StepKind = "model" | "read" | "clock" | "sleep" | "email" | "list" | "run" | "request";

export interface StepRecord {
  kind: StepKind;
  /** The step's key: `main.prose:3:1#1[2]/main.prose:4:5 model#1`. */
  step: string;
  /** A hash of the request; absent for steps that ask nothing (the clock). */
  fingerprint?: string;
  /** Only text, JSON and usage: never a request, a header or a credential. */
  result: unknown;
}

/** An answer the run took, by question id: a resumed run finds it without being told again. */
export interface AnswerRecord {
  kind: "answer";
  question: string;
  answer: Answer;
}

export type JournalRecord = StepRecord | AnswerRecord;

export interface Journal {
  /** The last record of a step, whatever its fingerprint. */
  step(key: string): StepRecord | undefined;
  /** Answers taken so far, by question id. */
  readonly answers: ReadonlyMap<string, Answer>;
  /**
   * Adds a record: the journal holds it at once (`step`, `answers`). The promise resolves when a
   * `durable` one is on disk (fdatasync): a step whose result is about to be used, or that cost
   * money; its caller awaits it before using the result. Records are committed in order, and
   * others reach the disk with the next durable one. The promise of a record that is not durable
   * never rejects (a failed write is reported by the next durable one, and by `close`). Throws at
   * once when the journal is closed or the record too large (`JournalRecordTooLarge`).
   */
  append(record: JournalRecord, options?: { durable?: boolean }): Promise<void>;
  /** Flushes what is not yet on disk and lets go of the file. */
  close(): Promise<void>;
}

/** A journal held in memory: for tests, and for runs that keep none on disk. */
export class MemoryJournal implements Journal {
  readonly records: JournalRecord[] = [];
  private readonly steps = new Map<string, StepRecord>();
  private readonly answerMap = new Map<string, Answer>();

  constructor(records: Iterable<JournalRecord> = []) {
    for (const record of records) this.remember(record);
  }

  get answers(): ReadonlyMap<string, Answer> {
    return this.answerMap;
  }

  step(key: string): StepRecord | undefined {
    return this.steps.get(key);
  }

  append(record: JournalRecord, _options?: { durable?: boolean }): Promise<void> {
    this.remember(record);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Keeps a record in the indexes (a later record of the same step or question wins). */
  protected remember(record: JournalRecord): void {
    this.records.push(record);
    if (record.kind === "answer") this.answerMap.set(record.question, record.answer);
    else this.steps.set(record.step, record);
  }
}

/**
 * A record larger than a journal line may be (see `FileJournal`): it is not written, so that
 * the journal never holds a line it could not read back. The step it belongs to is done again
 * by a resumed run.
 */
export class JournalRecordTooLarge extends Error {
  override readonly name = "JournalRecordTooLarge";
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`A journal record of ${megabytes(bytes)} is larger than a journal line may be (${megabytes(maxBytes)}); it was not written.`);
  }
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

/** A short, stable hash of any JSON-like value: the fingerprint of a request. */
export function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value) ?? "undefined").digest("hex").slice(0, 32);
}

/** True when the record is one of ours (a line of an older or newer version is skipped). */
export function isJournalRecord(value: unknown): value is JournalRecord {
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  if (record.kind === "answer") return typeof record.question === "string" && record.answer !== null && typeof record.answer === "object";
  return ["model", "read", "clock", "sleep", "email", "list", "run", "request"].includes(record.kind as string) && typeof record.step === "string" && "result" in record;
}
