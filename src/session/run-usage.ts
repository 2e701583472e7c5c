import { readUsageRecords } from "../llm/router/usage-log.js";
import { addToTotals, emptyTotals, type UsageTotals } from "../llm/router/usage-record.js";
import type { RunRecord } from "../runtime/run-store.js";

/**
 * What the workspace's usage records say of one run's model calls, every attempt of every
 * resumption (failed ones and cost included): `prose runs show --json` and the API's run view
 * show it. Undefined when the run called no model.
 */
export async function routedUsageOf(workspace: string, record: RunRecord): Promise<UsageTotals | undefined> {
  const { records } = await readUsageRecords(workspace, { since: new Date(record.timings.createdAt) });
  const own = records.filter((usage) => usage.runId === record.id);
  if (own.length === 0) return undefined;
  const totals = emptyTotals();
  for (const usage of own) addToTotals(totals, usage);
  return totals;
}
