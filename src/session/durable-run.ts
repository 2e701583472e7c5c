import { resolve } from "node:path";
import { FileJournal, maxJournalLineBytes } from "../runtime/file-journal.js";
import { megabytes, type Journal } from "../runtime/journal.js";
import type { RunResult } from "../runtime/run-program.js";
import {
  type AttemptEnding,
  endAttempt,
  ensureRunsFolder,
  isRunId,
  journalFile,
  newRunId,
  newRunRecord,
  readRunRecord,
  runningProcess,
  shownStatus,
  startAttempt,
  withoutLease,
  writeRunRecordAsync,
  type RunArguments,
  type RunRecord,
} from "../runtime/run-store.js";
import { keeper } from "../runtime/run-lease.js";
import { SessionError } from "./session-error.js";
import { refuseAnswersToFinishedRun } from "./finished-run.js";

/** What a run asks for, before anything is written: a new run of a script, or an earlier run resumed. */
export interface RunPlan {
  workspace: string;
  id: string;
  /** The script to run: the one given, or the resumed run's. */
  script: string;
  arguments: RunArguments;
  /** The resumed run's record; absent for a new run. */
  earlier?: RunRecord;
}

export interface RunRequest {
  workspace: string;
  /** `--resume <run id>`. */
  resume?: string;
  /** The script given on the command line, if any. */
  file?: string;
  /** `--input` pairs, `--agent`, `--project`, `--concurrency` as given; a resumed run keeps its own for those not given. */
  inputs: string[];
  agent?: string;
  project?: string;
  concurrency?: number;
  /** `--files`, `--allow-read`, `--allow-write` as given (relative to the current folder). */
  files?: RunArguments["files"];
  defaultConcurrency: number;
  now: Date;
  /** The answer flags given (`--answer`, `--answers`), as typed: a finished run refuses them (see `refuseAnswersToFinishedRun`). */
  answerFlags?: string[];
}

/** Finds the run to resume, or names a new one. Writes nothing. */
export function planRun(request: RunRequest): RunPlan {
  const inputs = request.inputs.map(absoluteInput);
  const files = absoluteFiles(request.files);
  if (request.resume === undefined) {
    if (request.file === undefined) throw new SessionError("Give the script to run, or --resume <run id>.", "For example: prose run invoice.prose");
    const runArguments: RunArguments = { inputs, concurrency: request.concurrency ?? request.defaultConcurrency };
    if (request.agent !== undefined) runArguments.agent = request.agent;
    if (request.project !== undefined) runArguments.project = request.project;
    if (files !== undefined) runArguments.files = files;
    return { workspace: request.workspace, id: newRunId(request.now), script: request.file, arguments: runArguments };
  }
  const id = request.resume.trim();
  return planResume(request, id, isRunId(id) ? readRunRecord(request.workspace, id) : undefined);
}

/**
 * Plans the resumption of the run `id` whose record is `earlier` (undefined: there is none), read
 * from the workspace (`planRun`) or from a shared run store (a worker). Writes nothing.
 */
export function planResume(request: RunRequest, id: string, earlier: RunRecord | undefined): RunPlan {
  const inputs = request.inputs.map(absoluteInput);
  const files = absoluteFiles(request.files);
  if (!earlier) throw new SessionError(`There is no run "${id.slice(0, 80)}" in the workspace ${request.workspace}.`, "See the runs with `prose runs list` (and --workspace if the run was made in another one).");
  // A run started by another (`start a run of`) is held by the starting process until its own takes its first attempt.
  if (shownStatus(earlier) === "running" && earlier.timings.attempts.length > 0) throw new SessionError(`The run ${id} is still running (process ${runningProcess(earlier)}).`, "Wait for it to end, or stop that process first.");
  if (request.answerFlags !== undefined && request.answerFlags.length > 0) refuseAnswersToFinishedRun(earlier, request.answerFlags);
  const previous = earlier.arguments;
  const runArguments: RunArguments = {
    inputs: request.inputs.length > 0 ? inputs : previous.inputs,
    concurrency: request.concurrency ?? previous.concurrency ?? request.defaultConcurrency,
  };
  const agent = request.agent ?? previous.agent;
  const project = request.project ?? previous.project;
  if (agent !== undefined) runArguments.agent = agent;
  if (project !== undefined) runArguments.project = project;
  const resumedFiles = files ?? previous.files;
  if (resumedFiles !== undefined) runArguments.files = resumedFiles;
  return { workspace: request.workspace, id, script: request.file ?? earlier.script, arguments: runArguments, earlier };
}

/** A run being made: its journal is open and its run.json says "running". */
export interface DurableRun {
  id: string;
  journal: Journal;
  /**
   * Closes the journal (everything queued on disk), lets go of the lease, then records the
   * attempt's end in run.json (with the named facts, and why it was stopped).
   */
  finish(result: RunResult, ending?: AttemptEnding): Promise<void>;
  /**
   * The run crashed in this process (an error escaped it): lets go of its lease and closes the
   * journal, leaving run.json "running" with no holder, which shows as interrupted at once.
   */
  abandon(): Promise<void>;
}

/** The script's path as the run's first `prose run` was given it; undefined for a run recorded before it was kept. */
export function scriptGivenOf(plan: RunPlan): string | undefined {
  return plan.earlier ? plan.earlier.scriptGiven : plan.script;
}

/**
 * Opens the run's journal (a resumed run appends to its own) and records the attempt's start.
 * Notes for the person (a torn last line, skipped lines) go to `warn`.
 */
export async function startDurableRun(plan: RunPlan, now: () => Date, warn: (message: string) => void): Promise<DurableRun> {
  ensureRunsFolder(plan.workspace);
  const journal = FileJournal.open(journalFile(plan.workspace, plan.id));
  if (journal.opening.tornLine) warn(`The journal of ${plan.id} ended in a step cut short (the run was stopped while writing it): that step is done again.`);
  if (journal.opening.skippedLines > 0) warn(`The journal of ${plan.id} has ${journal.opening.skippedLines} unreadable line(s); their steps are done again.`);
  if (journal.opening.oversizeLines > 0) {
    warn(`The journal of ${plan.id} has ${journal.opening.oversizeLines} record(s) larger than ${megabytes(maxJournalLineBytes)}, (written by a version of Prose that kept answers of any size): they were skipped without being read, and their steps are done again.`);
  }
  const base = attemptBase(plan, now);
  // A queued run's lease (`holdQueuedRun`) is taken over: no renewal of the queued record may land after this start.
  await keeper.release(plan.workspace, plan.id);
  const record = startAttempt(base, now());
  // run.json is written off the event loop: the other runs of the process go on meanwhile.
  try {
    await writeRunRecordAsync(plan.workspace, record);
  } catch (problem) {
    await journal.close().catch(() => undefined);
    throw problem;
  }
  // One timer of the process renews the lease of every run it holds.
  keeper.hold(plan.workspace, record);
  return durableRunOf(plan.id, journal, record, now, async (ended) => {
    await keeper.release(plan.workspace, plan.id);
    await writeRunRecordAsync(plan.workspace, ended);
  });
}

/** The record an attempt starts from: the resumed run's (its script and arguments as planned), or a new run's. */
export function attemptBase(plan: RunPlan, now: () => Date): RunRecord {
  return plan.earlier ? { ...plan.earlier, script: resolve(plan.script), arguments: plan.arguments } : { ...newRunRecord(plan.id, resolve(plan.script), plan.arguments, now()), scriptGiven: plan.script };
}

/**
 * An attempt whose `record` (with its lease) is written: `finish` and `abandon` close the journal
 * (everything queued kept), then `keep` the record as the attempt ended (the lease let go of).
 */
export function durableRunOf(id: string, journal: Journal, record: RunRecord, now: () => Date, keep: (ended: RunRecord) => Promise<void>): DurableRun {
  const closeThen = async (ended: () => RunRecord) => {
    try {
      await journal.close();
    } finally {
      await keep(ended());
    }
  };
  return {
    id,
    journal,
    finish: (result, ending) => closeThen(() => endAttempt(record, result, now(), ending)),
    abandon: () => closeThen(() => withoutLease(record)),
  };
}

/** The files flags made absolute; undefined when none was given. */
function absoluteFiles(files: RunArguments["files"]): RunArguments["files"] {
  if (files === undefined) return undefined;
  const made: NonNullable<RunArguments["files"]> = {};
  if (files.root !== undefined) made.root = resolve(files.root);
  if (files.allowRead !== undefined && files.allowRead.length > 0) made.allowRead = files.allowRead.map((folder) => resolve(folder));
  if (files.allowWrite !== undefined && files.allowWrite.length > 0) made.allowWrite = files.allowWrite.map((folder) => resolve(folder));
  return Object.keys(made).length === 0 ? undefined : made;
}

/** `doc=@invoice.pdf` keeps working from another folder: the path is made absolute. */
function absoluteInput(pair: string): string {
  const equals = pair.indexOf("=");
  if (equals <= 0 || pair[equals + 1] !== "@") return pair;
  return `${pair.slice(0, equals)}=@${resolve(pair.slice(equals + 2))}`;
}
