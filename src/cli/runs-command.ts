import type { Command } from "commander";
import { locateWorkspace } from "../byom/workspace.js";
import { isRunId, listRunRecords, readRunRecord, shownStatus, type RunRecord, type ShownStatus } from "../runtime/run-store.js";
import type { CliServices } from "./cli-services.js";
import { UsageError } from "./usage-error.js";
import type { UsageTotals } from "../llm/router/usage-record.js";
import { routedUsageOf } from "../session/run-usage.js";
import { runListJson, runRecordJson, runSummaryJson } from "../session/run-json.js";
import type { Writer } from "./writer.js";
import { RunStoreUnavailableError } from "../session/shared-runs/run-store-unavailable.js";

export interface RunsCommandContext {
  writer: Writer;
  environment: NodeJS.ProcessEnv;
  services: CliServices;
  setExitCode(code: number): void;
}

interface RunsOptions {
  workspace?: string;
  json?: boolean;
  /** The Redis of `prose serve --queue` and the workers: their runs, not the workspace's. */
  queue?: string;
}

/** Where the runs are read: the workspace's `runs/`, or the shared run store of a queue. */
interface RunsSource {
  /** As messages and `--json` name it: the workspace's folder, or `Redis at redis://HOST:PORT`. */
  where: string;
  list(): Promise<RunRecord[]>;
  read(id: string): Promise<RunRecord | undefined>;
  usageOf(record: RunRecord): Promise<UsageTotals | undefined>;
  /** Whether the runs are a queue's (answered through the API, resumed by the workers). */
  queued: boolean;
  close(): Promise<void>;
}

/** `prose runs list` and `prose runs show <id>`: the runs kept in the workspace's `runs/`. */
export function registerRunsCommands(program: Command, context: RunsCommandContext): void {
  const runs = program.command("runs").description("The runs kept in the workspace: status, questions, output, usage and timings.");
  runs
    .command("list")
    .description("List the workspace's runs, newest first.")
    .option("--workspace <dir>", "the workspace (default: PROSE_HOME, or .prose in the current folder)")
    .option("--queue <url>", "the runs of `prose serve --queue` and its workers, in that Redis (redis://HOST:PORT)")
    .option("--json", "print one JSON object")
    .action(async (options: RunsOptions) => context.setExitCode(await listRuns(options, context)));
  runs
    .command("show")
    .description("Show one run: its status, questions, output, usage and timings.")
    .argument("<run id>", "the run's id, as `prose run` and `prose runs list` show it")
    .option("--workspace <dir>", "the workspace (default: PROSE_HOME, or .prose in the current folder)")
    .option("--queue <url>", "a run of `prose serve --queue` and its workers, in that Redis (redis://HOST:PORT)")
    .option("--json", "print the run as one JSON object")
    .action(async (id: string, options: RunsOptions) => context.setExitCode(await showRun(id, options, context)));
}

function workspaceOf(options: RunsOptions, context: RunsCommandContext): string {
  return locateWorkspace({ option: options.workspace, environment: context.environment, currentDirectory: context.services.currentDirectory ?? process.cwd() });
}

/** The workspace's runs, or with --queue the shared run store's (Redis and its client loaded only then). */
async function sourceOf(options: RunsOptions, context: RunsCommandContext): Promise<RunsSource> {
  if (options.queue === undefined) {
    const workspace = workspaceOf(options, context);
    return {
      where: workspace,
      list: async () => listRunRecords(workspace),
      read: async (id) => (isRunId(id) ? readRunRecord(workspace, id) : undefined),
      usageOf: (record) => routedUsageOf(workspace, record),
      queued: false,
      close: async () => undefined,
    };
  }
  const [{ queueUrlOf }, { openRedisRunStore }] = await Promise.all([import("./serve/queue-connection.js"), import("../session/shared-runs/redis-run-store.js")]);
  const store = openRedisRunStore(queueUrlOf(options.queue, context.environment), context.environment);
  const unavailable = async <T>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (problem) {
      if (problem instanceof RunStoreUnavailableError) throw new UsageError(problem.message, "Start Redis there, or give --queue the URL `prose serve --queue` was given.");
      throw problem;
    }
  };
  return {
    where: store.printable,
    list: () => unavailable(() => store.list()),
    read: (id) => unavailable(() => (isRunId(id) ? store.read(id) : Promise.resolve(undefined))),
    usageOf: (record) => unavailable(() => store.usageOf(record.id)),
    queued: true,
    close: () => store.close(),
  };
}

async function listRuns(options: RunsOptions, context: RunsCommandContext): Promise<number> {
  const source = await sourceOf(options, context);
  let records: RunRecord[];
  try {
    records = await source.list();
  } finally {
    await source.close();
  }
  if (options.json) {
    context.writer.out(JSON.stringify(runListJson(source.where, records.map((record) => runSummaryJson(record, shownStatus(record))))));
    return 0;
  }
  if (records.length === 0) {
    context.writer.out(`No runs in ${source.where} yet.`);
    return 0;
  }
  const rows = [["ID", "STATUS", "STARTED", "TIME", "CALLS", "SCRIPT"]];
  for (const record of records) {
    const run = summary(record);
    rows.push([run.id, statusText(run.status, run.questions), shortTime(run.createdAt), duration(run.durationMilliseconds), String(run.usage.modelCalls), run.script]);
  }
  for (const line of columns(rows)) context.writer.out(line);
  return 0;
}

async function showRun(id: string, options: RunsOptions, context: RunsCommandContext): Promise<number> {
  const source = await sourceOf(options, context);
  let record: RunRecord | undefined;
  let routed: UsageTotals | undefined;
  try {
    record = await source.read(id);
    if (record && options.json) routed = await source.usageOf(record);
  } finally {
    await source.close();
  }
  if (!record) throw new UsageError(`There is no run "${id.slice(0, 80)}" in ${source.queued ? source.where : `the workspace ${source.where}`}.`, `See the runs with \`prose runs list${source.queued ? " --queue URL" : ""}\`.`);
  const status = shownStatus(record);
  if (options.json) {
    context.writer.out(JSON.stringify(runRecordJson(record, status, routed)));
    return 0;
  }
  const run = summary(record);
  const out = (line: string) => context.writer.out(line);
  out(`run ${record.id}  ${statusText(status, record.questions.length)}`);
  out(`script: ${record.script}`);
  const attempts = record.timings.attempts.length;
  out(`started: ${shortTime(record.timings.createdAt)} UTC; ${attempts} ${attempts === 1 ? "attempt" : "attempts"}, ${duration(run.durationMilliseconds)} in all`);
  const usage = record.usage;
  out(`usage: ${usage.modelCalls} model ${usage.modelCalls === 1 ? "call" : "calls"}, ${usage.inputTokens.toLocaleString("en-US")} input tokens, ${usage.outputTokens.toLocaleString("en-US")} output tokens`);
  if (record.questions.length > 0) {
    out("questions:");
    for (const question of record.questions) out(`  ${question.id} (${question.kind}) ${question.text}  [${question.at}]`);
  }
  if (record.output.length > 0) {
    out("output:");
    for (const line of record.output) out(`  ${line}`);
  }
  if (record.error) out(`error: ${record.error.message}${record.error.at ? `  [${record.error.at}]` : ""}`);
  if (source.queued) {
    if (status === "waiting") out(`answer it through the API of prose serve --queue (POST /api/runs/${record.id}/answers, or the page): a worker resumes it`);
  } else if (status === "waiting") out(`answer and resume: prose run --resume ${record.id} --answer "${record.questions[0]?.subject ?? record.questions[0]?.id ?? "…"}=…"`);
  else if (status !== "running" && status !== "done") out(`resume: prose run --resume ${record.id}`);
  return 0;
}


function summary(record: RunRecord) {
  const attempts = record.timings.attempts;
  return {
    id: record.id,
    status: shownStatus(record),
    script: record.script,
    createdAt: record.timings.createdAt,
    updatedAt: record.timings.updatedAt,
    attempts: attempts.length,
    durationMilliseconds: attempts.reduce((total, attempt) => total + (attempt.durationMilliseconds ?? 0), 0),
    questions: record.questions.length,
    usage: record.usage,
  };
}

function statusText(status: ShownStatus, questions: number): string {
  return status === "waiting" ? `waiting (${questions} ${questions === 1 ? "question" : "questions"})` : status;
}

/** `2025-01-01 10:10:10` from an ISO time (UTC). */
function shortTime(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "");
}

function duration(milliseconds: number): string {
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)}s`;
  const minutes = Math.floor(milliseconds / 60_000);
  return `${minutes}m ${String(Math.floor((milliseconds % 60_000) / 1000)).padStart(2, "0")}s`;
}

function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_cell, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]))).join("  ").trimEnd());
}
