import { existsSync, realpathSync, statSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { withWorkspaceLock } from "../../byom/workspace-lock.js";
import type { CheckedProgram } from "../../check/check-script.js";
import { writeFileAtomically } from "../../platform/atomic-file.js";
import { defaultConcurrency } from "../../runtime/interpreter.js";
import { AnswerBook } from "../../runtime/questions.js";
import { endedBeforeRunning, ensureRunsFolder, holdQueuedRun, listRunRecords, newRunId, newRunRecord, readRunRecord, releaseQueuedRun, shownStatus, writeRunRecord, type RunRecord } from "../../runtime/run-store.js";
import { planRun } from "../../session/durable-run.js";
import type { InterruptSource, StopSignal } from "../../session/run-cancellation.js";
import type { UsageTotals } from "../../llm/router/usage-record.js";
import { routedUsageOf } from "../../session/run-usage.js";
import type { CliServices } from "../cli-services.js";
import { isInside } from "../files-policy.js";
import { UsageError } from "../usage-error.js";
import { ApiError } from "./api-error.js";
import { checkAnswersFit, checkedNewRun, type NewRunRequest } from "./new-run-request.js";
import { RunEvents } from "./run-events.js";
import { runAttempt, whyNotStarted } from "./run-attempt.js";
import type { RunService } from "./run-service.js";

/** `<workspace>/serve-stopped.json`: the runs this server stopped as it shut down, resumed when it starts again. */
export const stoppedRunsFileName = "serve-stopped.json";

export interface RunManagerOptions {
  workspace: string;
  /** The folder scripts are started from (a real path): no run's script lies outside it. */
  scriptsRoot: string;
  environment: NodeJS.ProcessEnv;
  /** Runs running at once; the others wait in a queue. */
  maxRuns: number;
  services?: CliServices;
  now?: () => Date;
  /** Lines for the server's log (standard error). */
  log(line: string): void;
}

export type { NewRunRequest } from "./new-run-request.js";

/** A run this server holds: waiting in the queue, or running. */
interface HeldRun {
  id: string;
  state: "queued" | "running";
  answers: AnswerBook;
  timeoutSeconds?: number;
  events: RunEvents;
  /** What the script said in this attempt (a resumed run says its earlier lines again as it replays). */
  output: string[];
  /** The program compiled when the run was started, for its first attempt. */
  program?: { script: string; program: CheckedProgram };
  stop?: (signal: StopSignal) => void;
  stopRequested?: StopSignal;
  ended: Promise<void>;
  end(): void;
}

/** The statuses after which a run's event stream ends. */
export const endingStatuses = new Set(["done", "failed", "waiting", "interrupted"]);

/**
 * Many runs in one process, over the session service: each new run gets its record at once
 * (status running, no attempt yet: it is queued), and is started, when a place is free, as a
 * resume of that record (planRun, compileScript, startRun). Questions make a run end waiting (its
 * host has no person): nothing is held while it waits; answers resume it by id, replaying its
 * journal. The events of every run held go to its `RunEvents`.
 */
export class RunManager implements RunService {
  private readonly held = new Map<string, HeldRun>();
  private readonly queue: HeldRun[] = [];
  private running = 0;
  private closing = false;
  /** The events of runs that ended while this server ran, kept for late subscribers (the newest few). */
  private readonly finished = new Map<string, RunEvents>();
  private readonly now: () => Date;

  constructor(private readonly options: RunManagerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get workspace(): string {
    return this.options.workspace;
  }

  /** Runs running, and runs queued. */
  countsNow(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  async counts(): Promise<{ running: number; queued: number }> {
    return this.countsNow();
  }

  async read(id: string): Promise<RunRecord | undefined> {
    return readRunRecord(this.options.workspace, id);
  }

  async list(): Promise<RunRecord[]> {
    return listRunRecords(this.options.workspace);
  }

  usageOf(record: RunRecord): Promise<UsageTotals | undefined> {
    return routedUsageOf(this.options.workspace, record);
  }

  isHeld(id: string): boolean {
    return this.held.has(id);
  }

  /** The events of a run held now or ended while this server ran. */
  eventsOf(id: string): RunEvents | undefined {
    return this.held.get(id)?.events ?? this.finished.get(id);
  }

  /** What the script said so far in the attempt running now. */
  liveOutput(id: string): string[] | undefined {
    const run = this.held.get(id);
    return run?.state === "running" ? run.output : undefined;
  }

  /** A new run of a script under the scripts root: checked, recorded, queued. Its id. */
  async start(request: NewRunRequest): Promise<string> {
    this.refuseWhileClosing();
    const { script, program, runArguments } = checkedNewRun(request, this.options);
    const id = newRunId(this.now());
    ensureRunsFolder(this.options.workspace);
    // Held by this process's lease (renewed with its other runs) until its first attempt takes it over.
    await holdQueuedRun(this.options.workspace, { ...newRunRecord(id, script, runArguments, this.now()), scriptGiven: request.script });
    // Its first attempt runs the program just checked (same script, same files root): compiled once.
    this.enqueue(id, new AnswerBook(), request.timeoutSeconds, { script, program });
    return id;
  }

  /**
   * Answers to a waiting run's questions (by id, text or fact name), then the run resumed. Refused
   * for a run that is not waiting, and when no answer matches an open question. The keys that
   * matched none are returned as warnings.
   */
  async answer(id: string, answers: AnswerBook, keysGiven: number): Promise<string[]> {
    this.refuseWhileClosing();
    const record = this.recordOf(id);
    const warnings = checkAnswersFit(record, this.held.has(id) ? "running" : shownStatus(record), answers, keysGiven);
    this.enqueue(id, answers, undefined);
    return warnings;
  }

  /** Stops a run as Ctrl-C does (the model calls in flight are cancelled); resolves when it has ended. */
  async cancel(id: string): Promise<void> {
    const run = this.held.get(id);
    if (run === undefined) {
      const record = this.recordOf(id);
      throw new ApiError(409, `The run ${id} is not running (it is ${shownStatus(record)}): there is nothing to cancel.`, "Only a queued or running run can be cancelled.");
    }
    this.stopRun(run, "interrupted");
    await run.ended;
  }

  /**
   * Resumes the runs a previous server (or any process) left: every run of the workspace shown
   * interrupted (its process is gone) whose script lies under the scripts root, and the runs this
   * server stopped as it shut down. Waiting runs still wait. Returns the ids resumed.
   */
  async recover(): Promise<string[]> {
    const stoppedFile = join(this.options.workspace, stoppedRunsFileName);
    let stoppedAtShutdown: string[] = [];
    try {
      stoppedAtShutdown = (JSON.parse(await readFile(stoppedFile, "utf8")) as { runs: string[] }).runs ?? [];
    } catch {
      // No file: the previous server did not shut down cleanly with runs in flight (or there was none).
    }
    const resumed: string[] = [];
    for (const record of listRunRecords(this.options.workspace).reverse()) {
      const status = shownStatus(record);
      const stoppedByUs = stoppedAtShutdown.includes(record.id) && record.status === "failed" && record.stopped !== undefined;
      if (status !== "interrupted" && !stoppedByUs) continue;
      if (this.held.has(record.id)) continue;
      if (!isInside(record.script, this.options.scriptsRoot)) {
        this.options.log(`run ${record.id} was interrupted, but its script ${record.script} lies outside the scripts root: resume it with \`prose run --resume ${record.id}\`.`);
        continue;
      }
      this.enqueue(record.id, new AnswerBook(), undefined);
      resumed.push(record.id);
    }
    await rm(stoppedFile, { force: true });
    return resumed;
  }

  /**
   * Stops every run as Ctrl-C would (queued ones stay recorded, to be resumed), waits for them to
   * record how they ended, and notes their ids so that the next server resumes them.
   */
  async shutdown(signal: StopSignal): Promise<string[]> {
    this.closing = true;
    const queued = this.queue.splice(0);
    for (const run of queued) {
      this.held.delete(run.id);
      run.end();
    }
    // Their leases end now: they show interrupted at once, and the next server resumes them.
    await Promise.all(queued.map((run) => releaseQueuedRun(this.options.workspace, run.id)));
    const running = [...this.held.values()];
    for (const run of running) this.stopRun(run, signal);
    await Promise.all(running.map((run) => run.ended));
    const ids = running.map((run) => run.id);
    if (ids.length > 0) {
      await withWorkspaceLock(this.options.workspace, "serve shutdown", () => writeFileAtomically(join(this.options.workspace, stoppedRunsFileName), `${JSON.stringify({ runs: ids })}\n`, { mode: 0o600 }));
    }
    return [...ids, ...queued.map((run) => run.id)];
  }

  private recordOf(id: string): RunRecord {
    const record = readRunRecord(this.options.workspace, id);
    if (record === undefined) throw new ApiError(404, `There is no run "${id.slice(0, 80)}".`, "See the runs with GET /api/runs.");
    return record;
  }

  private refuseWhileClosing(): void {
    if (this.closing) throw new ApiError(503, "The server is shutting down.", "Start it again (`prose serve`); the runs it stopped are resumed then.");
  }

  private enqueue(id: string, answers: AnswerBook, timeoutSeconds: number | undefined, program?: HeldRun["program"]): void {
    if (this.held.has(id)) throw new ApiError(409, `The run ${id} is already queued or running.`, "Wait for it to end (its events stream says when).");
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const events = this.finished.get(id) ?? new RunEvents();
    this.finished.delete(id);
    const run: HeldRun = { id, state: "queued", answers, events, output: [], ended, end, ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }), ...(program === undefined ? {} : { program }) };
    this.held.set(id, run);
    this.queue.push(run);
    events.emit("status", { runId: id, status: "queued" });
    this.pump();
  }

  private pump(): void {
    while (!this.closing && this.running < this.options.maxRuns && this.queue.length > 0) this.launch(this.queue.shift()!);
  }

  private stopRun(run: HeldRun, signal: StopSignal): void {
    run.stopRequested ??= signal;
    if (run.state === "queued") {
      // Started at once, already stopped: it records how it ended like any stopped run.
      this.queue.splice(this.queue.indexOf(run), 1);
      this.launch(run);
      return;
    }
    run.stop?.(signal);
  }

  private launch(run: HeldRun): void {
    run.state = "running";
    this.running += 1;
    run.events.emit("status", { runId: run.id, status: "running" });
    this.attempt(run)
      .catch(async (problem: unknown) => {
        // A queued run's lease is let go first, so that no renewal rewrites the failure recorded next.
        await releaseQueuedRun(this.options.workspace, run.id);
        try {
          this.failedToStart(run, problem);
        } catch (recording) {
          // The run's record could not be written either (a full disk, a broken run.json): said in the log, the server goes on.
          this.options.log(`run ${run.id}: ${problem instanceof Error ? problem.message : String(problem)}; its record could not be updated (${recording instanceof Error ? recording.message : String(recording)}).`);
        }
      })
      .finally(() => {
        this.running -= 1;
        this.held.delete(run.id);
        this.keepFinished(run);
        run.end();
        this.pump();
      });
  }

  private async attempt(run: HeldRun): Promise<void> {
    const { workspace, environment } = this.options;
    const plan = planRun({ workspace, resume: run.id, inputs: [], defaultConcurrency, now: this.now() });
    const compiled = run.program;
    run.program = undefined;
    const interrupts: InterruptSource = (onInterrupt) => {
      run.stop = onInterrupt;
      if (run.stopRequested !== undefined) onInterrupt(run.stopRequested);
      return () => {
        run.stop = undefined;
      };
    };
    await runAttempt({
      plan,
      currentDirectory: this.options.scriptsRoot,
      environment,
      ...(this.options.services ? { services: this.options.services } : {}),
      now: this.now,
      answers: run.answers,
      ...(run.timeoutSeconds === undefined ? {} : { timeoutSeconds: run.timeoutSeconds }),
      ...(compiled === undefined ? {} : { compiled }),
      events: run.events,
      output: run.output,
      interrupts,
      startsChildRuns: true,
    });
  }

  /** A run that could not start (its script changed, an input file is missing): recorded as failed, with why. */
  private failedToStart(run: HeldRun, problem: unknown): void {
    const { message, fix, known } = whyNotStarted(problem);
    if (!known) this.options.log(`run ${run.id}: ${message}`);
    const record = readRunRecord(this.options.workspace, run.id);
    if (record !== undefined && record.status === "running") writeRunRecord(this.options.workspace, endedBeforeRunning(record, { message, fix }, this.now(), { output: [] }));
    run.events.emit("status", { runId: run.id, status: "failed", error: { message, fix } });
  }

  private keepFinished(run: HeldRun): void {
    this.finished.set(run.id, run.events);
    while (this.finished.size > 200) this.finished.delete(this.finished.keys().next().value!);
  }
}

/** The scripts root as a real path; refused when it is not a folder. */
export function scriptsRootOf(folder: string): string {
  const path = resolve(folder);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError(`The scripts root ${folder} is not a folder.`, "Give --scripts an existing folder (the scripts the API may start lie under it).");
  return realpathSync(path);
}
