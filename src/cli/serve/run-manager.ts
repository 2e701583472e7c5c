import { existsSync, realpathSync, statSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { defaultAgent } from "../../byom/workspace.js";
import { withWorkspaceLock } from "../../byom/workspace-lock.js";
import type { CheckedProgram } from "../../check/check-script.js";
import { hasErrors } from "../../syntax/diagnostic.js";
import { systemClock } from "../../llm/router/clock.js";
import { writeFileAtomically } from "../../platform/atomic-file.js";
import { defaultConcurrency } from "../../runtime/interpreter.js";
import { AnswerBook } from "../../runtime/questions.js";
import type { RunResult } from "../../runtime/run-program.js";
import { endAttempt, ensureRunsFolder, holdQueuedRun, listRunRecords, newRunId, newRunRecord, readRunRecord, releaseQueuedRun, shownStatus, writeRunRecord, type RunArguments, type RunRecord } from "../../runtime/run-store.js";
import { runAgent } from "../../session/agent-name.js";
import { inReadingOrder } from "../../session/compile-script.js";
import { planRun } from "../../session/durable-run.js";
import type { RunHost } from "../../session/run-host.js";
import { atAsGiven, invalidScriptJson, questionJson } from "../../session/run-json.js";
import type { InterruptSource, StopSignal } from "../../session/run-cancellation.js";
import { SessionError } from "../../session/session-error.js";
import { startRun } from "../../session/start-run.js";
import type { CliServices } from "../cli-services.js";
import { readConfined, writeConfined } from "../confined-files.js";
import { listConfined } from "../confined-folders.js";
import { filesPolicyFor, isInside } from "../files-policy.js";
import { loadProgram } from "../load-program.js";
import { runStarter } from "../run-starter.js";
import { runWeb } from "../run-web.js";
import { UsageError } from "../usage-error.js";
import { ApiError } from "./api-error.js";
import { RunEvents } from "./run-events.js";

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

export interface NewRunRequest {
  /** Relative to the scripts root. */
  script: string;
  inputs: string[];
  agent?: string;
  project?: string;
  concurrency?: number;
  timeoutSeconds?: number;
}

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
export class RunManager {
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
  counts(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
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
    const script = this.scriptInRoot(request.script);
    const agent = this.agentOf(request.agent);
    const files = filesPolicyFor({}, { root: this.options.scriptsRoot, origin: "the scripts root", currentDirectory: this.options.scriptsRoot, workspace: this.options.workspace, environment: this.options.environment });
    let program;
    try {
      program = loadProgram(script, files);
    } catch (problem) {
      if (problem instanceof UsageError) throw new ApiError(400, problem.message, problem.fix ?? "Check the script's path.");
      throw problem;
    }
    if (hasErrors(program.diagnostics)) {
      const invalid = invalidScriptJson(request.script, inReadingOrder(program.diagnostics, program.script.file));
      for (const diagnostic of invalid.diagnostics) diagnostic.at = atAsGiven(diagnostic.at, program.script.file, request.script);
      const first = invalid.diagnostics.find((diagnostic) => diagnostic.severity === "error");
      throw Object.assign(new ApiError(422, `The script ${request.script} has ${invalid.diagnostics.filter((d) => d.severity === "error").length} error(s)${first ? `, the first: ${first.message}` : ""}.`, `Correct the script (see them all with \`prose check ${request.script}\`), then start it again.`), { diagnostics: invalid.diagnostics });
    }
    const runArguments: RunArguments = {
      inputs: request.inputs.map((pair) => this.inputInRoot(pair)),
      concurrency: request.concurrency ?? defaultConcurrency,
      files: { root: this.options.scriptsRoot },
      ...(request.agent === undefined ? {} : { agent }),
      ...(request.project === undefined ? {} : { project: request.project }),
    };
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
  answer(id: string, answers: AnswerBook, keysGiven: number): string[] {
    this.refuseWhileClosing();
    const record = this.recordOf(id);
    const status = this.held.has(id) ? "running" : shownStatus(record);
    if (status !== "waiting") {
      const stoppedAs = record.stopped === undefined ? "" : ` (stopped: ${record.stopped === "interrupted" ? "cancelled or interrupted" : record.stopped})`;
      throw new ApiError(409, `The run ${id} is ${status}${stoppedAs}: it has no open question to answer.`, status === "running" ? "Wait for it to ask (its events stream says when), then answer." : status === "done" ? `It already finished. To run the script again with these answers, start a new run of ${record.scriptGiven ?? record.script}.` : "Only a waiting run takes answers. Start a new run of the script if it must run again.");
    }
    const matched = record.questions.filter((question) => answers.find(question) !== undefined);
    const unused = answers.unused();
    if (matched.length === 0 || keysGiven === 0) {
      const open = record.questions.slice(0, 5).map((question) => `${question.id} "${question.text}"${question.subject ? ` (${question.subject})` : ""}`);
      throw new ApiError(422, `None of the answers matches an open question of the run ${id}.`, `Answer by question id, question text or fact name; its open questions: ${open.join("; ")}.`);
    }
    this.enqueue(id, answers, undefined);
    return unused.map((key) => `The answer "${key.length > 80 ? `${key.slice(0, 79)}…` : key}" matches none of the run's open questions; it was not used.`);
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

  private agentOf(agent: string | undefined): string {
    try {
      return runAgent(agent ?? defaultAgent);
    } catch (problem) {
      if (problem instanceof SessionError) throw new ApiError(400, problem.message, problem.fix ?? "Give an agent's name (letters, digits, - and _).");
      throw problem;
    }
  }

  /** The script's real path, refused when it lies outside the scripts root. */
  private scriptInRoot(given: string): string {
    const root = this.options.scriptsRoot;
    const fix = `Give the script's path relative to the scripts root (${root}), for example "invoices/approve.prose".`;
    if (given.trim() === "" || isAbsolute(given) || given.includes("\0")) throw new ApiError(400, `The script path "${given.slice(0, 200)}" is not a path relative to the scripts root.`, fix);
    const path = resolve(root, given);
    if (!isInside(path, root)) throw new ApiError(400, `The script "${given.slice(0, 200)}" lies outside the scripts root.`, fix);
    if (!existsSync(path)) throw new ApiError(400, `There is no script "${given.slice(0, 200)}" under the scripts root.`, fix);
    const real = realpathSync(path);
    if (!isInside(real, root)) throw new ApiError(400, `The script "${given.slice(0, 200)}" leads outside the scripts root (through a link).`, fix);
    if (statSync(real).isDirectory()) throw new ApiError(400, `"${given.slice(0, 200)}" is a folder, not a script.`, fix);
    return real;
  }

  /** `name=@path` opens a file under the scripts root (the run's files root); other pairs as given. */
  private inputInRoot(pair: string): string {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new ApiError(400, `The input "${pair.slice(0, 200)}" ${equals < 0 ? 'has no "="' : 'names nothing before "="'}.`, 'Give inputs as {"customer": "John Smith"} or ["customer=John Smith"].');
    if (pair[equals + 1] !== "@") return pair;
    const path = resolve(this.options.scriptsRoot, pair.slice(equals + 2));
    if (!isInside(path, this.options.scriptsRoot)) throw new ApiError(400, `The input file of "${pair.slice(0, equals)}" lies outside the scripts root.`, "Give a file path relative to the scripts root.");
    return `${pair.slice(0, equals)}=@${path}`;
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
    const kept = plan.arguments.files ?? {};
    const files = filesPolicyFor(
      { ...(kept.root === undefined ? {} : { files: kept.root }), allowRead: kept.allowRead ?? [], allowWrite: kept.allowWrite ?? [] },
      { root: dirname(plan.script), origin: "the script's folder", currentDirectory: this.options.scriptsRoot, workspace, environment },
    );
    const compiled = run.program?.script === plan.script ? run.program.program : undefined;
    run.program = undefined;
    const program = compiled ?? loadProgram(plan.script, files);
    if (hasErrors(program.diagnostics)) throw new SessionError(`The script ${plan.script} has errors now.`, `Correct it (\`prose check ${plan.script}\`), then start a new run.`);
    // A resumed run says its earlier lines again as it replays: the stream tells each line once.
    const earlierOutput = plan.earlier?.output ?? [];
    if (!run.events.hasOutput()) for (const line of earlierOutput) run.events.emit("output", { line });
    let replayed = earlierOutput.length;
    // `start a run of …`: a run of its own in this workspace, as `prose run` starts one (run-starter.ts).
    const startChildRun = runStarter({ workspace, parent: plan.arguments, filesRoot: kept.root ?? dirname(plan.script), files, environment, now: this.now });
    const web = runWeb({ allowNet: [], workspace, agent: plan.arguments.agent ?? defaultAgent, environment, services: this.options.services ?? {} });
    const host: RunHost = {
      say: (line) => {
        run.output.push(line);
        if (replayed > 0) replayed -= 1;
        else run.events.emit("output", { line });
      },
      warn: (message) => run.events.emit("warning", { message }),
      now: () => new Date(),
      sleep: systemClock.sleep,
      readFile: (path) => readConfined(files, path),
      writeFile: (path, contents) => writeConfined(files, path, contents),
      listFolder: (path) => listConfined(files, path),
      startRun: startChildRun,
      ...(web.request === undefined ? {} : { request: web.request }),
      ...(web.hasSecret === undefined ? {} : { hasSecret: web.hasSecret }),
    };
    const interrupts: InterruptSource = (onInterrupt) => {
      run.stop = onInterrupt;
      if (run.stopRequested !== undefined) onInterrupt(run.stopRequested);
      return () => {
        run.stop = undefined;
      };
    };
    const outcome = await startRun(plan, program, {
      host,
      answers: run.answers,
      environment,
      ...(this.options.services ? { services: this.options.services } : {}),
      now: this.now,
      interrupts,
      ...(run.timeoutSeconds === undefined ? {} : { timeoutSeconds: run.timeoutSeconds }),
    });
    for (const question of outcome.contract.questions) run.events.emit("question", { runId: run.id, question: questionJson(question) });
    const error = outcome.contract.error;
    run.events.emit("status", {
      runId: run.id,
      status: outcome.result.status,
      ...(outcome.stopped === undefined ? {} : { stopped: outcome.stopped.reason }),
      ...(error === null ? {} : { error: { message: error.message, fix: error.fix ?? null } }),
    });
  }

  /** A run that could not start (its script changed, an input file is missing): recorded as failed, with why. */
  private failedToStart(run: HeldRun, problem: unknown): void {
    const known = problem instanceof SessionError || problem instanceof UsageError;
    const message = known ? problem.message : `The run could not start: ${problem instanceof Error ? problem.message : String(problem)}.`;
    const fix = (known ? problem.fix : undefined) ?? "Correct what the message says, then start a new run.";
    if (!known) this.options.log(`run ${run.id}: ${message}`);
    const record = readRunRecord(this.options.workspace, run.id);
    if (record !== undefined && record.status === "running") {
      const result: RunResult = { runId: run.id, status: "failed", usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0 }, output: [], facts: {}, questions: [], error: { message, at: null, fix } as RunResult["error"] };
      writeRunRecord(this.options.workspace, endAttempt(record, result, this.now()));
    }
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
