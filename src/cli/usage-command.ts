import { locateWorkspace } from "../byom/workspace.js";
import { prices } from "../llm/router/prices.js";
import { readUsageRecords, type UsageQuery, type UsageRead } from "../llm/router/usage-log.js";
import { addToTotals, emptyTotals, type UsageRecord, type UsageTotals } from "../llm/router/usage-record.js";
import type { CliServices } from "./cli-services.js";
import { UsageError } from "./usage-error.js";
import type { Writer } from "./writer.js";

export const usageGroupings = ["provider", "model", "agent", "project"] as const;
export type UsageGrouping = (typeof usageGroupings)[number];

export interface UsageOptions {
  agent?: string;
  project?: string;
  /** An ISO date or time, or a time ago: `7d`, `24h`, `30m`. */
  since?: string;
  by?: string;
  json: boolean;
  workspace?: string;
  environment: NodeJS.ProcessEnv;
  services?: CliServices;
  /** Where the records are read: the workspace's files unless given (the shared run store of `prose serve --queue`). */
  records?: (query: UsageQuery) => Promise<UsageRead>;
}

interface UsageRow extends UsageTotals {
  key: string;
}

/** `prose usage`: the workspace's usage records summed, in total or by provider, model, agent or project. */
export async function usageCommand(options: UsageOptions, writer: Writer): Promise<number> {
  const services = options.services ?? {};
  const now = services.now?.() ?? new Date();
  const by = groupingOf(options.by);
  const since = sinceOf(options.since, now);
  const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory: services.currentDirectory ?? process.cwd() });
  const { records, unreadableLines } = await (options.records ?? ((query: UsageQuery) => readUsageRecords(workspace, query)))({
    ...(options.agent === undefined ? {} : { agent: options.agent }),
    ...(options.project === undefined ? {} : { project: options.project }),
    ...(since === undefined ? {} : { since }),
  });
  const total = emptyTotals();
  const groups = new Map<string, UsageTotals>();
  for (const record of records) {
    addToTotals(total, record);
    if (by === undefined) continue;
    const key = keyOf(record, by);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = emptyTotals()));
    addToTotals(group, record);
  }
  const rows: UsageRow[] = [...groups].map(([key, totals]) => ({ key, ...totals })).sort((a, b) => b.costUsd - a.costUsd || b.attempts - a.attempts || a.key.localeCompare(b.key));
  if (options.json) {
    writer.out(
      JSON.stringify({
        workspace,
        filters: { agent: options.agent ?? null, project: options.project ?? null, since: since?.toISOString() ?? null },
        by: by ?? null,
        rows,
        total,
        pricesTakenOn: prices.takenOn,
        unreadableLines,
      }),
    );
    return 0;
  }
  const scope = [options.agent === undefined ? undefined : `agent ${options.agent}`, options.project === undefined ? undefined : `project ${options.project}`, since === undefined ? undefined : `since ${since.toISOString()}`].filter(Boolean);
  writer.out(`Model usage in ${workspace}${scope.length === 0 ? "" : ` (${scope.join(", ")})`}`);
  if (records.length === 0) {
    writer.out("No model calls are recorded yet.");
  } else {
    for (const line of table(by, rows, total)) writer.out(line);
    const notes = [`Costs are estimates from prices taken on ${prices.takenOn}.`];
    if (total.unpricedAttempts > 0) notes.push(`${total.unpricedAttempts} ${total.unpricedAttempts === 1 ? "attempt" : "attempts"} of models without a price ${total.unpricedAttempts === 1 ? "is" : "are"} left out of the cost.`);
    writer.out(notes.join(" "));
  }
  if (unreadableLines > 0) writer.err(`warning: ${unreadableLines} ${unreadableLines === 1 ? "line" : "lines"} of the usage records could not be read and ${unreadableLines === 1 ? "was" : "were"} left out.`);
  return 0;
}

function keyOf(record: UsageRecord, by: UsageGrouping): string {
  switch (by) {
    case "provider":
      return record.providerId;
    case "model":
      return record.model;
    case "agent":
      return record.agent;
    case "project":
      return record.project ?? "(no project)";
  }
}

function table(by: UsageGrouping | undefined, rows: UsageRow[], total: UsageTotals): string[] {
  const header = [by ?? "", "attempts", "failed", "input tokens", "output tokens", "est. cost (USD)"];
  const cells = (key: string, totals: UsageTotals) => [key, count(totals.attempts), count(totals.failedAttempts), count(totals.inputTokens), count(totals.outputTokens), totals.costUsd.toFixed(6)];
  const lines = [...rows.map((row) => cells(row.key, row)), cells("total", total)];
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (values: string[]) => values.map((value, column) => (column === 0 ? value.padEnd(widths[column]) : value.padStart(widths[column]))).join("  ").trimEnd();
  return [format(header), ...lines.map(format)];
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

function groupingOf(value: string | undefined): UsageGrouping | undefined {
  if (value === undefined) return undefined;
  if ((usageGroupings as readonly string[]).includes(value)) return value as UsageGrouping;
  throw new UsageError(`--by "${value}" is not one of ${usageGroupings.join(", ")}.`, "For example: prose usage --by model");
}

/** `2026-11-01`, `2026-11-01T09:00:00Z`, or a time ago: `7d`, `24h`, `30m`. */
function sinceOf(value: string | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const ago = /^(\d+)\s*([dhm])$/.exec(value.trim());
  if (ago !== null) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[ago[2] as "d" | "h" | "m"];
    return new Date(now.getTime() - Number(ago[1]) * unit);
  }
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? Date.parse(`${value.trim()}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`--since "${value}" is neither a date nor a time ago.`, "For example: --since 2026-11-01, or --since 7d (also 24h, 30m).");
  return new Date(time);
}
