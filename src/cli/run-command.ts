import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatLocation } from "../syntax/span.js";
import { hasErrors } from "../syntax/diagnostic.js";
import { answerToFact } from "../runtime/answer-values.js";
import { runProgram, type RunInput, type RunResult } from "../runtime/run-program.js";
import { Fact } from "../runtime/values.js";
import { openDocument } from "../../stdlib/files.js";
import { readAnswers } from "./answers.js";
import { loadProgram, scriptFolder } from "./load-program.js";
import { nodeRunContext } from "./node-run-context.js";
import { filesPolicyFor } from "./files-policy.js";
import { showDiagnostics, showRunError } from "./show-problems.js";
import { UsageError } from "./usage-error.js";
import type { Writer } from "./writer.js";
import type { ModelResolver } from "../llm/model-resolver.js";
import type { UsageTotals } from "../llm/router/usage-record.js";
import { ByomError } from "../byom/byom-error.js";
import { checkAgentName, defaultAgent, locateWorkspace } from "../byom/workspace.js";
import type { CliServices } from "./cli-services.js";
import { defaultConcurrency } from "../runtime/interpreter.js";
import { planRun, startRun, type DurableRun } from "./durable-run.js";
import { colourAllowed, ProgressLine, wantsProgress } from "./progress-line.js";
import { routedModels } from "./routed-models.js";
import { parseTimeoutSeconds, runCancellation } from "./run-cancellation.js";

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
  services?: CliServices;
}

const exitCodes = { done: 0, failed: 1, waiting: 3 } as const;

/**
 * `prose run FILE` or `prose run --resume RUN`: exit 0 done, 1 failed, 2 invalid script or usage,
 * 3 waiting on questions, 130 stopped by Ctrl-C, 143 by SIGTERM, 124 by --timeout. Every run has an id and
 * a journal in the workspace (`runs/<id>/`); its model calls go through the router, which appends
 * a usage record per attempt to the workspace (`usage/<yyyy-mm>.jsonl`).
 */
export async function runCommand(given: string | undefined, options: RunOptions, writer: Writer): Promise<number> {
  const services = options.services ?? {};
  const now = services.now ?? (() => new Date());
  const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory: services.currentDirectory ?? process.cwd() });
  const filesFlags = { ...definedOnly({ root: options.files }), allowRead: options.allowRead ?? [], allowWrite: options.allowWrite ?? [] };
  const plan = planRun({ workspace, file: given, inputs: options.input, defaultConcurrency, now: now(), files: filesFlags, ...definedOnly({ resume: options.resume, agent: options.agent, project: options.project, concurrency: concurrencyOf(options.concurrency) }) });
  const file = plan.script;
  options = { ...options, input: plan.arguments.inputs, ...definedOnly({ agent: plan.arguments.agent, project: plan.arguments.project }) };
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
      const first = program.diagnostics.find((diagnostic) => diagnostic.severity === "error")!;
      writer.out(JSON.stringify({ status: "failed", output: [], facts: {}, questions: [], error: { message: first.message, at: formatLocation(first.span) } }));
    }
    showDiagnostics(program.diagnostics, program, writer);
    return 2;
  }
  const agent = agentOf(options);
  const timeoutSeconds = parseTimeoutSeconds(options.timeout);
  const terminal = wantsProgress({ json: options.json, stdoutIsTerminal: process.stdout.isTTY === true, stderrIsTerminal: process.stderr.isTTY === true });
  const progress = terminal ? new ProgressLine(process.stderr, { colour: colourAllowed(options.environment) }) : undefined;
  if (progress) writer = progress.writer(writer);
  const context = nodeRunContext(writer, { interactive: options.interactive, sayToStdout: !options.json, files });
  const models = routedModels({ agent, runId: plan.id, environment: options.environment, warn: (message) => context.warn(message), ...definedOnly({ project: options.project, workspace: options.workspace, services: options.services }) });
  context.models = models.resolver;
  const inputs = await Promise.all(options.input.map((pair) => parseInput(pair, context)));
  const durable = openJournal(plan, now, writer, options.resume !== undefined);
  if (durable && terminal) writer.err(`run ${durable.id}`);
  if (progress) {
    const askPerson = context.askPerson;
    if (askPerson) context.askPerson = (question) => progress.hold(() => askPerson(question));
    context.progress = (event) => progress.progress(event);
    const recordModelCall = context.recordModelCall;
    context.recordModelCall = (call) => {
      recordModelCall?.(call);
      progress.modelCall(call);
    };
    progress.start();
  }
  // Ctrl-C and --timeout abort the model calls in flight (through the SDKs); the run ends there.
  const cancellation = runCancellation({ ...definedOnly({ timeoutSeconds, onInterrupt: services.onInterrupt }) });
  context.signal = cancellation.signal;
  let result: RunResult;
  try {
    result = await runProgram(program, context, answers, inputs, { concurrency: plan.arguments.concurrency, ...(durable ? { journal: durable.journal, runId: durable.id } : {}) });
  } finally {
    progress?.stop();
    cancellation.dispose();
    // Every attempt's usage record is on disk before the command returns.
    await models.flush();
  }
  durable?.finish(result);
  const stopped = cancellation.message();
  if (options.json) writer.out(JSON.stringify(jsonOf(result, { agent, ...(options.project === undefined ? {} : { project: options.project }) }, models.totals(), cancellation.reason())));
  else report(result, file, writer);
  if (stopped !== undefined) {
    if (!options.json) writer.err(result.error?.at ? `${stopped} It stopped at ${result.error.at}.` : stopped);
  } else if (result.error) showRunErrorIfText(result, program, writer, options.json);
  if (!options.json && (result.status === "failed" || stopped !== undefined) && result.runId) writer.err(`run ${result.runId}: prose run --resume ${result.runId} runs it again, replaying the steps it finished`);
  return cancellation.exitCode() ?? exitCodes[result.status];
}

/**
 * The run's journal. A new run that cannot keep one (a read-only workspace) still runs, without
 * an id; a resumed run needs its journal.
 */
function openJournal(plan: ReturnType<typeof planRun>, now: () => Date, writer: Writer, resuming: boolean): DurableRun | undefined {
  try {
    return startRun(plan, now, (message) => writer.err(`warning: ${message}`));
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code ?? (problem as Error).message;
    if (resuming) throw new UsageError(`I can't open the journal of ${plan.id} in ${plan.workspace} (${code}).`);
    writer.err(`warning: I can't keep this run's journal in ${plan.workspace} (${code}): it runs without one, and can't be resumed.`);
    return undefined;
  }
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

function showRunErrorIfText(result: RunResult, program: Parameters<typeof showRunError>[1], writer: Writer, json: boolean): void {
  if (!json && result.error) showRunError(result.error, program, writer);
}

/**
 * The run as JSON. `usage` holds the model calls the script made (modelCalls, tokens) and what the
 * router counted: every attempt (retries and fallbacks too), the failed ones, and the estimated cost.
 */
function jsonOf(result: RunResult, labels: { agent: string; project?: string }, routed: UsageTotals | undefined, stopped: string | undefined): object {
  const error = result.error ? { message: result.error.message, at: result.error.at, ...(result.error.fix ? { fix: result.error.fix } : {}) } : null;
  const attempts = {
    attempts: routed?.attempts ?? 0,
    failedAttempts: routed?.failedAttempts ?? 0,
    estimatedCostUsd: routed?.costUsd ?? 0,
    unpricedAttempts: routed?.unpricedAttempts ?? 0,
  };
  return {
    ...(result.runId === undefined ? {} : { runId: result.runId }),
    status: result.status,
    ...(stopped === undefined ? {} : { stopped }),
    output: result.output,
    facts: result.facts,
    questions: result.questions,
    error,
    usage: { ...labels, ...result.usage, ...attempts },
  };
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
  const example = result.questions[0];
  const key = example.subject ?? example.id;
  // A journaled run is resumed by its id: its finished steps are replayed, not done again.
  const again = result.runId ? `resume: prose run --resume ${result.runId}` : `run again: prose run ${file}`;
  writer.err(`answer and ${again} --answer "${key}=…"  (or --answers answers.json)`);
}

export function agentOf(options: Pick<RunOptions, "agent">): string {
  try {
    return checkAgentName(options.agent ?? defaultAgent);
  } catch (problem) {
    if (problem instanceof ByomError) throw new UsageError(problem.message, problem.fix);
    throw problem;
  }
}

/**
 * Models from the agent's BYOM providers, and from the standard environment variables for the
 * types it does not configure, through the router (retries, fallbacks, limits, usage records);
 * loaded only when a script calls a model. Warnings go to standard error unless `warn` is given.
 */
export function byomModels(agent: string, options: Pick<RunOptions, "environment" | "workspace" | "services" | "project"> & { warn?: (message: string) => void }): ModelResolver {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  return routedModels({ agent, environment: options.environment, warn, ...definedOnly({ project: options.project, workspace: options.workspace, services: options.services }) }).resolver;
}

async function readAnswersFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new UsageError(`I can't read the answers file ${path}.`, "Check the path.");
  }
}

async function parseInput(pair: string, context: ReturnType<typeof nodeRunContext>): Promise<RunInput> {
  const equals = pair.indexOf("=");
  if (equals <= 0) throw new UsageError(`--input "${pair}" ${equals < 0 ? 'has no "="' : 'names nothing before "="'}.`, 'Write it as --input "customer=John Smith" or --input invoice=@invoice.txt.');
  const name = pair.slice(0, equals);
  const value = pair.slice(equals + 1);
  if (!value.startsWith("@")) return { name, value: answerToFact(value) };
  const path = resolve(value.slice(1));
  const document = await openDocument(
    {
      context,
      resolvePath: (written) => resolve(written),
      fail: (message, fix) => {
        throw new UsageError(`--input ${name}: ${message}`, fix);
      },
    },
    path,
  );
  return { name, value: new Fact(document) };
}
