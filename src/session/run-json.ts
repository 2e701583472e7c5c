import type { UsageTotals } from "../llm/router/usage-record.js";
import type { Json } from "../runtime/display.js";
import type { Question } from "../runtime/questions.js";
import type { RunStatus } from "../runtime/run-outcome.js";
import type { RunUsage } from "../runtime/run-program.js";
import type { RunAttempt, RunRecord, ShownStatus } from "../runtime/run-store.js";
import type { Diagnostic } from "../syntax/diagnostic.js";
import { formatLocation } from "../syntax/span.js";
import type { StopReason } from "./run-cancellation.js";

/**
 * The run's JSON view: the one contract `prose run --json`, `prose runs show --json`, `prose runs
 * list --json` (and the HTTP API) print. Field names and meanings are documented in
 * docs/json-contract.md and checked by schemas/run.schema.json. Naming: an identifier is named
 * after what it identifies (`runId`, `questionId`), never a bare `id`; a field that may be
 * unknown is present with `null`, never left out; money keeps its unit (facts: `{"amount",
 * "currency", "text"}`; costs: `estimatedCostUsd`); paths are the script's path as it was given
 * to `prose run`.
 */

/** Bumped when a field changes meaning or goes away (adding a field does not). */
export const jsonContractVersion = 1;

export interface QuestionJson {
  questionId: string;
  kind: Question["kind"];
  text: string;
  /** `file:line:col`, the file as the script was given. */
  at: string;
  choices: string[];
  /** The fact the answer sets (`the vendor's email`), or null. */
  subject: string | null;
  /** The type a typed `get` expects ("number", "date", …), or null. */
  expects: string | null;
  /** Why an earlier answer was not taken, or null. */
  problem: string | null;
}

export interface ErrorJson {
  message: string;
  /** `file:line:col` of the line that failed, or null when no line is to blame (a usage mistake). */
  at: string | null;
  /** What to do about it, or null when nothing more can be said. */
  fix: string | null;
}

export interface DiagnosticJson {
  /** Stable across rewordings (docs/diagnostics.md). */
  code: string;
  severity: "error" | "warning";
  message: string;
  at: string;
  /** The lines shown under the caret (a "did you mean"), the fix left out. */
  notes: string[];
  fix: string | null;
}

export interface UsageJson {
  agent: string;
  project: string | null;
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** Every attempt the router made: retries and fallbacks too. */
  attempts: number;
  failedAttempts: number;
  estimatedCostUsd: number;
  /** Attempts of models without a price, left out of the cost. */
  unpricedAttempts: number;
}

export interface AttemptJson {
  startedAt: string;
  endedAt: string | null;
  durationMilliseconds: number | null;
  status: RunStatus | "running";
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface TimingsJson {
  createdAt: string;
  updatedAt: string;
  attempts: AttemptJson[];
}

export type RunJsonStatus = ShownStatus;

/** A run that started: finished, failed, waiting, stopped, running or interrupted. */
export interface RunJson {
  contract: number;
  runId: string | null;
  status: RunJsonStatus;
  stopped: StopReason | null;
  script: string;
  output: string[];
  facts: Record<string, Json>;
  questions: QuestionJson[];
  error: ErrorJson | null;
  usage: UsageJson;
  timings: TimingsJson | null;
  warnings: string[];
}

/** A script that was not run: its problems, every one. */
export interface InvalidScriptJson {
  contract: number;
  runId: null;
  status: "invalid";
  script: string;
  diagnostics: DiagnosticJson[];
  error: ErrorJson;
}

/** A command that could not do what it was asked: a usage mistake, an unknown run, an internal error. */
export interface CommandErrorJson {
  contract: number;
  status: "error";
  error: ErrorJson & { kind: "usage" | "internal" };
}

export interface RunSummaryJson {
  runId: string;
  status: RunJsonStatus;
  script: string;
  createdAt: string;
  updatedAt: string;
  attemptCount: number;
  durationMilliseconds: number;
  questionCount: number;
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface RunListJson {
  contract: number;
  status: "listed";
  workspace: string;
  runs: RunSummaryJson[];
}

/** What a run that ran gives the view (`prose run --json`, a server's run). */
export interface RunView {
  runId: string | undefined;
  status: RunJsonStatus;
  stopped?: StopReason;
  script: string;
  output: string[];
  facts: Record<string, Json>;
  questions: readonly Question[];
  error: { message: string; at: string | null; fix?: string } | null;
  usage: RunUsage;
  agent: string;
  project?: string;
  routed?: UsageTotals;
  timings?: RunRecord["timings"];
  warnings?: readonly string[];
}

export function runJson(run: RunView): RunJson {
  return {
    contract: jsonContractVersion,
    runId: run.runId ?? null,
    status: run.status,
    stopped: run.stopped ?? null,
    script: run.script,
    output: [...run.output],
    facts: run.facts,
    questions: run.questions.map(questionJson),
    error: run.error === null ? null : errorJson(run.error.message, run.error.at, run.error.fix),
    usage: usageJson(run.usage, run.agent, run.project, run.routed),
    timings: run.timings === undefined ? null : timingsJson(run.timings),
    warnings: [...(run.warnings ?? [])],
  };
}

/**
 * A kept run (run.json) as the contract shows it: `prose runs show --json`. `routed` is what the
 * workspace's usage records say of its model calls (every attempt, the cost).
 */
export function runRecordJson(record: RunRecord, status: ShownStatus, routed: UsageTotals | undefined): RunJson {
  return runJson({
    runId: record.id,
    status,
    ...(record.stopped === undefined ? {} : { stopped: record.stopped }),
    script: record.scriptGiven ?? record.script,
    output: record.output,
    facts: record.facts ?? {},
    questions: record.questions,
    error: record.error,
    usage: record.usage,
    agent: record.arguments.agent ?? "default",
    ...(record.arguments.project === undefined ? {} : { project: record.arguments.project }),
    ...(routed === undefined ? {} : { routed }),
    timings: record.timings,
  });
}

export function runSummaryJson(record: RunRecord, status: ShownStatus): RunSummaryJson {
  const attempts = record.timings.attempts;
  return {
    runId: record.id,
    status,
    script: record.scriptGiven ?? record.script,
    createdAt: record.timings.createdAt,
    updatedAt: record.timings.updatedAt,
    attemptCount: attempts.length,
    durationMilliseconds: attempts.reduce((total, attempt) => total + (attempt.durationMilliseconds ?? 0), 0),
    questionCount: record.questions.length,
    modelCalls: record.usage.modelCalls,
    inputTokens: record.usage.inputTokens,
    outputTokens: record.usage.outputTokens,
  };
}

export function runListJson(workspace: string, runs: RunSummaryJson[]): RunListJson {
  return { contract: jsonContractVersion, status: "listed", workspace, runs };
}

/** A script with errors: every diagnostic (warnings too), each with its fix. */
export function invalidScriptJson(script: string, diagnostics: readonly Diagnostic[]): InvalidScriptJson {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  return {
    contract: jsonContractVersion,
    runId: null,
    status: "invalid",
    script,
    diagnostics: diagnostics.map(diagnosticJson),
    error: {
      message: `The script has ${errors === 1 ? "an error" : `${errors} errors`}: nothing was run.`,
      at: null,
      fix: "Fix each problem in `diagnostics` (each has its own `fix`), then run it again; `prose check FILE` shows them with the lines.",
    },
  };
}

export function commandErrorJson(kind: "usage" | "internal", message: string, fix: string | undefined): CommandErrorJson {
  return { contract: jsonContractVersion, status: "error", error: { kind, message, at: null, fix: fix === undefined || fix === "" ? null : withoutFixWord(fix) } };
}

export function diagnosticJson(diagnostic: Diagnostic): DiagnosticJson {
  const notes = diagnostic.notes ?? [];
  const fixes = notes.filter(isFixNote).map(withoutFixWord);
  return {
    code: diagnostic.code,
    severity: diagnostic.severity,
    message: diagnostic.message,
    at: formatLocation(diagnostic.span),
    notes: notes.filter((note) => !isFixNote(note)),
    fix: fixes.length === 0 ? null : fixes.join(" "),
  };
}

export function questionJson(question: Question): QuestionJson {
  return {
    questionId: question.id,
    kind: question.kind,
    text: question.text,
    at: question.at,
    choices: [...question.choices],
    subject: question.subject ?? null,
    expects: question.expects ?? null,
    problem: question.problem ?? null,
  };
}

function errorJson(message: string, at: string | null, fix: string | undefined): ErrorJson {
  return { message, at, fix: fix === undefined || fix === "" ? null : withoutFixWord(fix) };
}

function usageJson(usage: RunUsage, agent: string, project: string | undefined, routed: UsageTotals | undefined): UsageJson {
  return {
    agent,
    project: project ?? null,
    modelCalls: usage.modelCalls,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    attempts: routed?.attempts ?? 0,
    failedAttempts: routed?.failedAttempts ?? 0,
    estimatedCostUsd: routed?.costUsd ?? 0,
    unpricedAttempts: routed?.unpricedAttempts ?? 0,
  };
}

function timingsJson(timings: RunRecord["timings"]): TimingsJson {
  return { createdAt: timings.createdAt, updatedAt: timings.updatedAt, attempts: timings.attempts.map(attemptJson) };
}

function attemptJson(attempt: RunAttempt): AttemptJson {
  return {
    startedAt: attempt.startedAt,
    endedAt: attempt.endedAt ?? null,
    durationMilliseconds: attempt.durationMilliseconds ?? null,
    status: attempt.status,
    modelCalls: attempt.usage.modelCalls,
    inputTokens: attempt.usage.inputTokens,
    outputTokens: attempt.usage.outputTokens,
  };
}

function isFixNote(note: string): boolean {
  return /^fix:\s/i.test(note);
}

/** "fix: write …" → "write …": the field's name says it is the fix. */
function withoutFixWord(fix: string): string {
  return fix.replace(/^fix:\s*/i, "");
}

/**
 * `file:line:col` with the file as the script was given: a resumed run compiles its script by the
 * path shown from the current folder, so its places name the file that way; the contract names it
 * as the first `prose run` was given it. Places in other files (learned scripts) are left as they are.
 */
export function atAsGiven(at: string, compiledAs: string, given: string | undefined): string {
  if (given === undefined || given === compiledAs || !at.startsWith(`${compiledAs}:`)) return at;
  const rest = at.slice(compiledAs.length + 1);
  return /^\d+:\d+$/.test(rest) ? `${given}:${rest}` : at;
}
