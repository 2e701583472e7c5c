import type { ProviderType } from "../language-model.js";
import type { ProviderErrorKind } from "../provider-error.js";

/** `ok`, or the kind of failure (`rate-limit`, `server`, `timeout`, `aborted`, …). */
export type AttemptOutcome = "ok" | ProviderErrorKind;

/**
 * One attempt of one model call, as written to the workspace's `usage/<yyyy-mm>.jsonl`. It never
 * holds a secret, a prompt or an answer.
 */
export interface UsageRecord {
  /** When the attempt started (ISO 8601, UTC). */
  time: string;
  runId: string | null;
  agent: string;
  project: string | null;
  providerId: string;
  providerType: ProviderType;
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
  /** From the request leaving to the answer (or failure) arriving, queue time left out. */
  latencyMs: number;
  /** Time spent waiting for the provider configuration's limits before the request left. */
  queuedMs: number;
  /** Estimated from the price table; null for a model it does not price. */
  costUsd: number | null;
  outcome: AttemptOutcome;
  /** The HTTP status of a failed attempt, when there was one. */
  status: number | null;
  /** The call's number in its run, and the attempt's number in its call (1 for the first). */
  call: number;
  attempt: number;
  /** The call's own model, when this attempt went to a fallback. */
  fallbackFrom: { providerId: string; model: string } | null;
}

/** Where the router puts each attempt's record; must not block the call. */
export interface UsageSink {
  record(record: UsageRecord): void;
}

/** Sums of usage records: a run's own usage, or one row of `prose usage`. */
export interface UsageTotals {
  attempts: number;
  failedAttempts: number;
  inputTokens: number;
  outputTokens: number;
  /** The sum of the priced attempts' estimated costs. */
  costUsd: number;
  /** Attempts of models without a price, left out of the cost. */
  unpricedAttempts: number;
}

export function emptyTotals(): UsageTotals {
  return { attempts: 0, failedAttempts: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedAttempts: 0 };
}

export function addToTotals(totals: UsageTotals, record: UsageRecord): void {
  totals.attempts += 1;
  if (record.outcome !== "ok") totals.failedAttempts += 1;
  totals.inputTokens += record.inputTokens ?? 0;
  totals.outputTokens += record.outputTokens ?? 0;
  if (record.costUsd === null) totals.unpricedAttempts += 1;
  else totals.costUsd = Math.round((totals.costUsd + record.costUsd) * 1e10) / 1e10;
}
