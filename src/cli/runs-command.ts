import type { Command } from "commander";
import { locateWorkspace } from "../byom/workspace.js";
import { isRunId, listRunRecords, readRunRecord, shownStatus, type RunRecord, type ShownStatus } from "../runtime/run-store.js";
import type { CliServices } from "./cli-services.js";
import { UsageError } from "./usage-error.js";
import { routedUsageOf } from "../session/run-usage.js";
import { runListJson, runRecordJson, runSummaryJson } from "../session/run-json.js";
import type { Writer } from "./writer.js";

export interface RunsCommandContext {
  writer: Writer;
  environment: NodeJS.ProcessEnv;
  services: CliServices;
  setExitCode(code: number): void;
}

interface RunsOptions {
  workspace?: string;
  json?: boolean;
}

/** `prose runs list` and `prose runs show <id>`: the runs kept in the workspace's `runs/`. */
export function registerRunsCommands(program: Command, context: RunsCommandContext): void {
  const runs = program.command("runs").description("The runs kept in the workspace: status, questions, output, usage and timings.");
  runs
    .command("list")
    .description("List the workspace's runs, newest first.")
    .option("--workspace <dir>", "the workspace (default: PROSE_HOME, or .prose in the current folder)")
    .option("--json", "print one JSON object")
    .action((options: RunsOptions) => context.setExitCode(listRuns(options, context)));
  runs
    .command("show")
    .description("Show one run: its status, questions, output, usage and timings.")
    .argument("<run id>", "the run's id, as `prose run` and `prose runs list` show it")
    .option("--workspace <dir>", "the workspace (default: PROSE_HOME, or .prose in the current folder)")
    .option("--json", "print the run as one JSON object")
    .action(async (id: string, options: RunsOptions) => context.setExitCode(await showRun(id, options, context)));
}

function workspaceOf(options: RunsOptions, context: RunsCommandContext): string {
  return locateWorkspace({ option: options.workspace, environment: context.environment, currentDirectory: context.services.currentDirectory ?? process.cwd() });
}

function listRuns(options: RunsOptions, context: RunsCommandContext): number {
  const workspace = workspaceOf(options, context);
  const records = listRunRecords(workspace);
  if (options.json) {
    context.writer.out(JSON.stringify(runListJson(workspace, records.map((record) => runSummaryJson(record, shownStatus(record))))));
    return 0;
  }
  if (records.length === 0) {
    context.writer.out(`No runs in ${workspace} yet.`);
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
  const workspace = workspaceOf(options, context);
  const record = isRunId(id) ? readRunRecord(workspace, id) : undefined;
  if (!record) throw new UsageError(`There is no run "${id.slice(0, 80)}" in the workspace ${workspace}.`, "See the runs with `prose runs list`.");
  const status = shownStatus(record);
  if (options.json) {
    context.writer.out(JSON.stringify(runRecordJson(record, status, await routedUsageOf(workspace, record))));
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
  if (status === "waiting") out(`answer and resume: prose run --resume ${record.id} --answer "${record.questions[0]?.subject ?? record.questions[0]?.id ?? "…"}=…"`);
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
