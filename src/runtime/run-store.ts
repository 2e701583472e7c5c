import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically, writeFileAtomicallySync } from "../platform/atomic-file.js";
import type { Question } from "./questions.js";
import { keeper, leaseIsLive, newLease, type LeaseHolder, type RunLease } from "./run-lease.js";
import type { RunResult, RunStatus, RunUsage } from "./run-program.js";
import type { Json } from "./display.js";

/**
 * Runs kept in the workspace: `runs/<run id>/run.json` (what the run is and how it ended) beside
 * `runs/<run id>/journal.jsonl` (its steps, see `FileJournal`). run.json is replaced atomically
 * (`writeFileAtomicallySync`: written beside, fsynced, renamed) when a run starts, waits, fails or ends.
 */

export const runsFolderName = "runs";

/** What `prose run` was given, so that `--resume` can run the same again. */
export interface RunArguments {
  /** `--input` pairs as given; `name=@path` with the path made absolute. */
  inputs: string[];
  agent?: string;
  project?: string;
  concurrency: number;
  /** `--files`, `--allow-read`, `--allow-write` as absolute paths, when given: a resumed run keeps them. */
  files?: { root?: string; allowRead?: string[]; allowWrite?: string[] };
}

/** One `prose run` or `prose run --resume` of the run. */
export interface RunAttempt {
  startedAt: string;
  endedAt?: string;
  durationMilliseconds?: number;
  status: RunStatus | "running";
  /** Model calls made by this attempt (replayed ones cost nothing and are not counted). */
  usage: RunUsage;
}

export interface RunRecord {
  version: 1;
  id: string;
  /** The script's absolute path. */
  script: string;
  /** The script's path as the first `prose run` was given it (records before the JSON contract lack it). */
  scriptGiven?: string;
  arguments: RunArguments;
  /** "running" while a process runs it (see `holder`); the last attempt's status otherwise. */
  status: RunStatus | "running";
  /** The process running it (see src/runtime/run-lease.ts), while it runs. */
  holder?: LeaseHolder;
  /** Until when the holder promised to run it: renewed while it runs, gone when it ends or waits. */
  leaseUntil?: string;
  /**
   * The process that held it, in run.json files written before leases (and by a run starting
   * another, until the started run's process takes it over): alive means running.
   */
  pid?: number;
  questions: Question[];
  output: string[];
  error: { message: string; at: string | null; fix?: string } | null;
  /** The facts the script named when the last attempt ended, as the JSON contract shows them (docs/json-contract.md). */
  facts?: Record<string, Json>;
  /** Why the last attempt was stopped from outside, when it was (Ctrl-C, SIGTERM, --timeout). */
  stopped?: "interrupted" | "terminated" | "timeout";
  /** Every attempt's model calls together. */
  usage: RunUsage;
  timings: { createdAt: string; updatedAt: string; attempts: RunAttempt[] };
}

/** A run's status as a person reads it: "interrupted" when its process is gone (a crash, kill -9). */
export type ShownStatus = RunRecord["status"] | "interrupted";

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `run-20250101T093000-k3x9qa`: the start time (UTC) and six random letters and digits. */
export function newRunId(now: Date, random: (size: number) => Uint8Array = randomBytes): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "");
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const letters = [...random(6)].map((byte) => alphabet[byte % alphabet.length]).join("");
  return `run-${stamp}-${letters}`;
}

export function isRunId(id: string): boolean {
  return runIdPattern.test(id);
}

export function runFolder(workspace: string, id: string): string {
  if (!isRunId(id)) throw new Error(`"${id}" cannot be a run id.`);
  return join(workspace, runsFolderName, id);
}

export function journalFile(workspace: string, id: string): string {
  return join(runFolder(workspace, id), "journal.jsonl");
}

/** Creates `runs/` (kept out of version control: journals hold the data the scripts read). */
export function ensureRunsFolder(workspace: string): void {
  const folder = join(workspace, runsFolderName);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(join(folder, ".gitignore"), "# Written by prose: run journals hold the data scripts read and the models' answers.\n*\n", { flag: "wx" });
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code !== "EEXIST") throw problem;
  }
}

export function writeRunRecord(workspace: string, record: RunRecord): void {
  const folder = runFolder(workspace, record.id);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileAtomicallySync(join(folder, "run.json"), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** `writeRunRecord` off the event loop (its fsync and rename on the thread pool): for a process running many runs. */
export async function writeRunRecordAsync(workspace: string, record: RunRecord): Promise<void> {
  const folder = runFolder(workspace, record.id);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  await writeFileAtomically(join(folder, "run.json"), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** The run's record, or undefined when the workspace has no such run. */
export function readRunRecord(workspace: string, id: string): RunRecord | undefined {
  if (!isRunId(id)) return undefined;
  let text: string;
  try {
    text = readFileSync(join(runFolder(workspace, id), "run.json"), "utf8");
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw problem;
  }
  return JSON.parse(text) as RunRecord;
}

/** Every run of the workspace, newest first; folders without a readable run.json are left out. */
export function listRunRecords(workspace: string): RunRecord[] {
  let names: string[];
  try {
    names = readdirSync(join(workspace, runsFolderName));
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw problem;
  }
  const records: RunRecord[] = [];
  for (const name of names) {
    try {
      const record = readRunRecord(workspace, name);
      if (record) records.push(record);
    } catch {
      // A run.json that does not parse: not a run this version can show.
    }
  }
  return records.sort((a, b) => (a.timings.createdAt === b.timings.createdAt ? b.id.localeCompare(a.id) : b.timings.createdAt.localeCompare(a.timings.createdAt)));
}

/**
 * A "running" run is running only while its lease holds (`leaseIsLive`): unexpired, and on this
 * host its holder process (PID and start time) still there. Otherwise it was interrupted: a crash,
 * kill -9, a run of a live server that crashed and let go of its lease, a PID now another
 * process's, a holder on another host that stopped renewing. A run.json from before leases has
 * only `pid`: alive means running.
 */
export function shownStatus(record: RunRecord, options: { now?: Date; isAlive?: (pid: number) => boolean } = {}): ShownStatus {
  if (record.status !== "running") return record.status;
  if (record.holder !== undefined && record.leaseUntil !== undefined) return leaseIsLive({ holder: record.holder, leaseUntil: record.leaseUntil }, options.now) ? "running" : "interrupted";
  return record.pid !== undefined && (options.isAlive ?? processIsAlive)(record.pid) ? "running" : "interrupted";
}

/** The process a running run names, for messages: its holder's, or an older record's `pid`. */
export function runningProcess(record: RunRecord): number | undefined {
  return record.holder?.pid ?? record.pid;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (problem) {
    return (problem as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A new run's record, before its first attempt. */
export function newRunRecord(id: string, script: string, runArguments: RunArguments, now: Date): RunRecord {
  const time = now.toISOString();
  return {
    version: 1,
    id,
    script,
    arguments: runArguments,
    status: "running",
    questions: [],
    output: [],
    error: null,
    usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0 },
    timings: { createdAt: time, updatedAt: time, attempts: [] },
  };
}

/** Marks the start of an attempt by this process, which takes the run's lease (`newLease`, or one taken in a shared store). */
export function startAttempt(record: RunRecord, now: Date, lease: RunLease = newLease()): RunRecord {
  const time = now.toISOString();
  // An earlier attempt's stop is not this one's; nor is an older record's pid (the lease replaces it).
  const { pid: _pid, stopped: _stopped, ...earlier } = record;
  return {
    ...earlier,
    status: "running",
    ...lease,
    timings: { ...record.timings, updatedAt: time, attempts: [...record.timings.attempts, { startedAt: time, status: "running", usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0 } }] },
  };
}

/** What an ended attempt adds to its record besides the result: the named facts, why it was stopped. */
export interface AttemptEnding {
  facts?: Record<string, Json>;
  stopped?: RunRecord["stopped"];
}

/** The record once the attempt ended with `result`. */
export function endAttempt(record: RunRecord, result: RunResult, now: Date, ending: AttemptEnding = {}): RunRecord {
  const time = now.toISOString();
  const attempts = [...record.timings.attempts];
  const last = attempts.at(-1);
  if (last) {
    attempts[attempts.length - 1] = { ...last, endedAt: time, durationMilliseconds: Math.max(0, now.getTime() - Date.parse(last.startedAt)), status: result.status, usage: { ...result.usage } };
  }
  const usage = { modelCalls: 0, inputTokens: 0, outputTokens: 0 };
  for (const attempt of attempts) {
    usage.modelCalls += attempt.usage.modelCalls;
    usage.inputTokens += attempt.usage.inputTokens;
    usage.outputTokens += attempt.usage.outputTokens;
  }
  const { facts: _facts, stopped: _stopped, ...rest } = withoutLease(record);
  const error = result.error ? { message: result.error.message, at: result.error.at, ...(result.error.fix ? { fix: result.error.fix } : {}) } : null;
  const ended = { ...(ending.facts === undefined ? {} : { facts: ending.facts }), ...(ending.stopped === undefined ? {} : { stopped: ending.stopped }) };
  return { ...rest, status: result.status, questions: result.questions, output: result.output, error, ...ended, usage, timings: { ...record.timings, updatedAt: time, attempts } };
}

/**
 * The record of an attempt that ended before its script ran a step (its script broken now, an input
 * missing, its queue gone): failed, with why and the fix; `output` is what the run keeps saying.
 */
export function endedBeforeRunning(record: RunRecord, error: { message: string; fix: string }, now: Date, ending: { output: string[]; stopped?: RunRecord["stopped"] }): RunRecord {
  const result: RunResult = { runId: record.id, status: "failed", usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0 }, output: ending.output, facts: {}, questions: [], error: { message: error.message, at: null, fix: error.fix } as RunResult["error"] };
  return endAttempt(record, result, now, ending.stopped === undefined ? {} : { stopped: ending.stopped });
}

/** The record with no process holding it: an ended or waiting run's, or one whose holder let go of it (it shows interrupted). */
export function withoutLease(record: RunRecord): RunRecord {
  const { pid: _pid, holder: _holder, leaseUntil: _leaseUntil, ...rest } = record;
  return rest;
}

/**
 * Writes a run this process will run later (queued, before its first attempt) as held by it: with
 * a lease the process's keeper renews until the run's attempt takes it over (`startAttempt`) or
 * `releaseQueuedRun`. Unlike a `pid`, the lease is not fooled by a restarted server given the
 * same PID (a container's PID 1): a queued run of a crashed server shows interrupted.
 */
export async function holdQueuedRun(workspace: string, record: RunRecord): Promise<RunRecord> {
  const { pid: _pid, ...rest } = record;
  const held: RunRecord = { ...rest, status: "running", ...newLease() };
  // Off the event loop: a server taking 200 runs at once does not wait for 200 fsyncs in turn.
  await writeRunRecordAsync(workspace, held);
  keeper.hold(workspace, held);
  return held;
}

/** Stops renewing a queued run's lease (dropped from the queue without running): it then shows interrupted. */
export function releaseQueuedRun(workspace: string, id: string): Promise<void> {
  return keeper.release(workspace, id);
}
