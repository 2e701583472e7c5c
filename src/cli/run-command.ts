import { readFile } from "node:fs/promises";
import { isAbsolute, relative } from "node:path";
import { hasErrors } from "../syntax/diagnostic.js";
import type { CheckedProgram } from "../check/check-script.js";
import type { RunResult } from "../runtime/run-program.js";
import { atAsGiven, invalidScriptJson, runJson, type RunJson } from "../session/run-json.js";
import { defaultConcurrency } from "../runtime/interpreter.js";
import { defaultAgent, locateWorkspace } from "../byom/workspace.js";
import { planRun, scriptGivenOf } from "../session/durable-run.js";
import { inReadingOrder } from "../session/compile-script.js";
import { unsetFactWarnings } from "../check/unset-facts.js";
import { startRun, type RunOutcome } from "../session/start-run.js";
import { readAnswers } from "./answers.js";
import { unmatchedAnswerWarnings } from "../runtime/unmatched-answers.js";
import type { CliServices } from "./cli-services.js";
import { filesPolicyFor } from "./files-policy.js";
import { loadProgram, scriptFolder } from "./load-program.js";
import { nodeRunHost } from "./node-run-host.js";
import { runStarter } from "./run-starter.js";
import { runWeb } from "./run-web.js";
import { parseTimeoutSeconds, processInterrupts, stopExitCodes } from "./process-interrupts.js";
import { colourAllowed, ProgressLine, wantsProgress } from "./progress-line.js";
import { showDiagnostics, showRunError } from "./show-problems.js";
import { UsageError } from "./usage-error.js";
import type { Writer } from "./writer.js";

export interface RunOptions {
  input: string[];
  answers?: string;
  answer: string[];
  json: boolean;
  interactive: boolean;
  /** The standard variables (OPENAI_API_KEY, …) for types the agent does not configure, PROSE_HOME, the store's settings. */
  environment: NodeJS.ProcessEnv;
  /** Whose BYOM providers the script's LLM procedures call (default "default"). */
  agent?: string;
  workspace?: string;
  /** A free label added to the run's usage, for cost attribution. */
  project?: string;
  /** `--resume <run id>`: runs that run again, replaying its journal. */
  resume?: string;
  /** `--concurrency N`: iterations of a parallel loop at once (4 by default). */
  concurrency?: string;
  /** `--timeout SECONDS`: the run stops after this long, cancelling the model calls in flight. */
  timeout?: string;
  /** `--files DIR`: the files root instead of the script's folder. */
  files?: string;
  /** `--allow-read DIR`…: folders the script may read too. */
  allowRead?: string[];
  /** `--allow-write DIR`…: folders the script may write (and read) too. */
  allowWrite?: string[];
  /** `--allow-net HOST`…: the hosts the script's web requests may reach (none without it). */
  allowNet?: string[];
  services?: CliServices;
}

const exitCodes = { done: 0, failed: 1, waiting: 3 } as const;

/**
 * `prose run FILE` or `prose run --resume RUN`: exit 0 done, 1 failed, 2 invalid script or usage,
 * 3 waiting on questions, 130 stopped by Ctrl-C, 143 by SIGTERM, 124 by --timeout. A thin adapter
 * over the session service (src/session/): it plans the run (new or resumed), compiles the script,
 * starts the run, and prints how it ended. Every run has an id and a journal in the workspace
 * (`runs/<id>/`); its model calls go through the router, which appends a usage record per attempt
 * to the workspace (`usage/<yyyy-mm>.jsonl`).
 */
export async function runCommand(given: string | undefined, options: RunOptions, writer: Writer): Promise<number> {
  const services = options.services ?? {};
  const now = services.now ?? (() => new Date());
  const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory: services.currentDirectory ?? process.cwd() });
  const filesFlags = { ...definedOnly({ root: options.files }), allowRead: options.allowRead ?? [], allowWrite: options.allowWrite ?? [] };
  const answerFlags = [...(options.answers === undefined ? [] : ["--answers", options.answers]), ...options.answer.flatMap((pair) => ["--answer", pair])];
  const plan = planRun({ workspace, file: given, inputs: options.input, defaultConcurrency, now: now(), files: filesFlags, answerFlags, ...definedOnly({ resume: options.resume, agent: options.agent, project: options.project, concurrency: concurrencyOf(options.concurrency) }) });
  // A resumed run's script is kept by its absolute path; shown from the current folder, as it was typed.
  const file = given === undefined ? shownFromHere(plan.script) : plan.script;
  // What the script may read and write: its folder (or --files), the allowed folders; never the workspace or keys.
  const kept = plan.arguments.files ?? {};
  const files = filesPolicyFor(
    { ...definedOnly({ files: kept.root }), allowRead: kept.allowRead ?? [], allowWrite: kept.allowWrite ?? [] },
    { root: scriptFolder(file), origin: "the script's folder", currentDirectory: process.cwd(), workspace, environment: options.environment },
  );
  const program = loadProgram(file, files);
  const answersText = options.answers === undefined ? undefined : await readAnswersFile(options.answers);
  const answers = readAnswers(answersText, options.answers, options.answer);
  if (hasErrors(program.diagnostics)) {
    if (options.json) {
      const given = scriptGivenOf(plan) ?? file;
      // Every problem `prose check` reports: the unset-fact warnings too.
      const invalid = invalidScriptJson(given, inReadingOrder([...program.diagnostics, ...unsetFactWarnings(program)], program.script.file));
      for (const diagnostic of invalid.diagnostics) diagnostic.at = atAsGiven(diagnostic.at, file, given);
      writer.out(JSON.stringify(invalid));
    }
    showDiagnostics(program.diagnostics, program, writer);
    return 2;
  }
  const timeoutSeconds = parseTimeoutSeconds(options.timeout);
  const terminal = wantsProgress({ json: options.json, stdoutIsTerminal: process.stdout.isTTY === true, stderrIsTerminal: process.stderr.isTTY === true });
  const progress = terminal ? new ProgressLine(process.stderr, { colour: colourAllowed(options.environment) }) : undefined;
  if (progress) writer = progress.writer(writer);
  // `start a run of …`: a run of its own, in this workspace, under this run's agent, project and files root.
  const startChildRun = runStarter({ workspace, parent: plan.arguments, filesRoot: kept.root ?? scriptFolder(file), files, environment: options.environment, now });
  const web = runWeb({ allowNet: options.allowNet ?? [], workspace, agent: plan.arguments.agent ?? defaultAgent, environment: options.environment, services });
  const host = nodeRunHost(writer, { interactive: options.interactive, sayToStdout: !options.json, files, web, startRun: startChildRun, ...(progress ? { progress } : {}) });
  let outcome: RunOutcome;
  try {
    outcome = await startRun(plan, program, {
      host,
      answers,
      environment: options.environment,
      services,
      now,
      // Ctrl-C, SIGTERM and --timeout abort the model calls in flight (through the SDKs); the run ends there.
      interrupts: services.onInterrupt ?? processInterrupts,
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      onStart: (runId) => {
        if (runId !== undefined && terminal) writer.err(`run ${runId}`);
        progress?.start();
      },
    });
  } finally {
    progress?.stop();
  }
  const warnings = unmatchedAnswerWarnings(answers.unused(), outcome.result.questions);
  return shown(outcome, { file, program, json: options.json, warnings }, writer);
}

/** Prints how the run ended; the exit code. */
function shown(outcome: RunOutcome, run: { file: string; program: CheckedProgram; json: boolean; warnings: string[] }, writer: Writer): number {
  const { result, stopped } = outcome;
  for (const warning of run.warnings) writer.err(`warning: ${warning}`);
  if (run.json) writer.out(JSON.stringify(runOutcomeJson(outcome, run.warnings)));
  else report(result, run.file, writer);
  if (stopped !== undefined) {
    if (!run.json) writer.err(result.error?.at ? `${stopped.message} It stopped at ${result.error.at}.` : stopped.message);
  } else if (result.error && !run.json) showRunError(result.error, run.program, writer);
  if (!run.json && (result.status === "failed" || stopped !== undefined) && result.runId) writer.err(`run ${result.runId}: prose run --resume ${result.runId} runs it again, replaying the steps it finished`);
  return stopped === undefined ? exitCodes[result.status] : stopExitCodes[stopped.reason];
}

function concurrencyOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new UsageError(`--concurrency "${text}" is not a whole number from 1 to 256.`, "For example: --concurrency 8");
  return count;
}

/** Leaves out the properties whose value is undefined (for exactOptionalPropertyTypes-style options). */
function definedOnly<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/**
 * The run as the JSON contract shows it (src/session/run-json.ts, docs/json-contract.md). `usage`
 * holds this attempt's model calls (modelCalls, tokens) and what the router counted: every attempt
 * (retries and fallbacks too), the failed ones, and the estimated cost.
 */
function runOutcomeJson(outcome: RunOutcome, warnings: string[]): RunJson {
  const { result, contract } = outcome;
  return runJson({
    runId: result.runId,
    status: result.status,
    ...(outcome.stopped === undefined ? {} : { stopped: outcome.stopped.reason }),
    script: contract.script,
    output: result.output,
    facts: contract.facts,
    questions: contract.questions,
    error: contract.error,
    usage: result.usage,
    agent: outcome.agent,
    ...(outcome.project === undefined ? {} : { project: outcome.project }),
    ...(outcome.routed === undefined ? {} : { routed: outcome.routed }),
    warnings,
  });
}

function report(result: RunResult, file: string, writer: Writer): void {
  if (result.status !== "waiting") return;
  const count = result.questions.length;
  writer.err(`waiting: the run needs ${count === 1 ? "an answer" : `${count} answers`} to go on.`);
  for (const question of result.questions) {
    writer.err(`  ${question.id} (${question.kind}) ${question.text}  [${question.at}]`);
    if (question.choices.length > 0) writer.err(`    choices: ${question.choices.join(", ")}`);
    if (question.problem) writer.err(`    ${question.problem}`);
  }
  // One --answer per question (a few at most): every question of the stop is answered at once.
  const keys = result.questions.slice(0, 3).map((question) => `--answer "${question.subject ?? question.id}=…"`);
  if (count > 3) keys.push("…");
  // A journaled run is resumed by its id: its finished steps are replayed, not done again.
  const again = result.runId ? `resume: prose run --resume ${result.runId}` : `run again: prose run ${file}`;
  writer.err(`answer and ${again} ${keys.join(" ")}  (or --answers answers.json)`);
}

async function readAnswersFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new UsageError(`I can't read the answers file ${path}.`, "Check the path.");
  }
}

/** A path as short as it reads from the current folder: relative when it lies below it, absolute otherwise. */
function shownFromHere(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere === "" || fromHere.startsWith("..") || isAbsolute(fromHere) ? path : fromHere;
}
