import { createHash } from "node:crypto";
import type { GenerateRequest, GenerateResult, LanguageModel } from "../llm/language-model.js";
import type { ModelChoice, ModelResolver } from "../llm/model-resolver.js";
import { fingerprint, type Journal, type JournalRecord, JournalRecordTooLarge, megabytes, type StepKind, type StepRecord } from "./journal.js";
import type { Answer, AnswerSource, Question } from "./questions.js";
import type { RunContext } from "./run-context.js";
import { journaledSendEmail } from "./journaled-email.js";
import { journalFoldersAndRuns } from "./folders-and-runs.js";
import type { WebResponse } from "./web-request.js";

/** Where a step happens: the strand that makes it (see `Strand`). */
export interface StepSource {
  nextStep(kind: StepKind): string;
  /** The running statement's place, for messages. */
  where(): string;
}

/** Files up to this size are kept in the journal; larger ones are read again and checked by hash. */
const keptFileBytes = 1024 * 1024;

/** Model results replayed from the journal: they cost nothing, so they are not counted as calls. */
const replayedResults = new WeakSet<GenerateResult>();

/**
 * The RunContext one strand sees: its own output, and — with a journal — the clock, file
 * reads, waits, model calls and a person's answers journaled under the strand's step keys and
 * replayed from them. Writing files is not journaled: a resumed run writes them again.
 */
export function strandContext(base: RunContext, say: (line: string) => void, journal: Journal | undefined, steps: StepSource): RunContext {
  const context: RunContext = { ...base, say };
  if (!journal) return context;
  const replay = (kind: StepKind, key: string, print: string | undefined, what: string): StepRecord | undefined => {
    const record = journal.step(key);
    if (!record) return undefined;
    if (record.kind === kind && record.fingerprint === print) return record;
    base.warn(`The ${what} at ${steps.where()} is not the one this run's journal holds (the script or its inputs changed): it is done again.`);
    return undefined;
  };

  context.now = () => {
    const key = steps.nextStep("clock");
    const record = replay("clock", key, undefined, "clock reading");
    if (record && typeof record.result === "string") return new Date(record.result);
    const now = base.now();
    // Not durable: the clock is read at once, and a record that is not durable never rejects.
    void journal.append({ kind: "clock", step: key, result: now.toISOString() });
    return now;
  };

  context.sleep = async (milliseconds, signal) => {
    const key = steps.nextStep("sleep");
    if (replay("sleep", key, String(milliseconds), "wait")) return;
    await base.sleep(milliseconds, signal);
    await journal.append({ kind: "sleep", step: key, fingerprint: String(milliseconds), result: null });
  };

  context.readFile = async (path) => {
    const key = steps.nextStep("read");
    const print = fingerprint({ path });
    const record = replay("read", key, print, `reading of ${path}`);
    const kept = record?.result as FileRead | undefined;
    if (kept?.base64 !== undefined) return new Uint8Array(Buffer.from(kept.base64, "base64"));
    const bytes = await base.readFile(path);
    const read: FileRead = { size: bytes.byteLength, sha256: sha256(bytes) };
    if (kept && kept.sha256 === read.sha256) return bytes;
    if (kept) base.warn(`The file ${path} changed since this run read it: the run goes on with what it holds now.`);
    if (bytes.byteLength <= keptFileBytes) read.base64 = Buffer.from(bytes).toString("base64");
    await journal.append({ kind: "read", step: key, fingerprint: print, result: read });
    return bytes;
  };

  if (base.sendEmail) context.sendEmail = journaledSendEmail(base.sendEmail, journal, steps, base.warn);
  journalFoldersAndRuns(context, base, journal, (kind) => steps.nextStep(kind), replay);
  const request = base.request;
  if (request) {
    // Every request is journaled, GETs too: a resumed run replays the response it had (a POST is never sent twice).
    context.request = async (asked, signal) => {
      const key = steps.nextStep("request");
      const print = fingerprint(asked);
      const record = replay("request", key, print, `request to ${asked.url}`);
      if (record && isWebResponse(record.result)) return record.result;
      const response = await request(asked, signal);
      await appendOrWarn(journal, { kind: "request", step: key, fingerprint: print, result: { ...response } }, base.warn, `The response of ${asked.url}`);
      return response;
    };
  }

  if (base.models) context.models = journaledModels(base.models, journal, steps, replay, base.warn);
  context.recordModelCall = (result) => {
    if (!replayedResults.has(result)) base.recordModelCall?.(result);
  };

  const askPerson = base.askPerson;
  if (askPerson) {
    context.askPerson = async (question) => {
      const answer = await askPerson(question);
      await appendOrWarn(journal, { kind: "answer", question: question.id, answer }, base.warn, `The answer to "${question.text.slice(0, 80)}"`);
      return answer;
    };
  }
  return context;
}

function isWebResponse(value: unknown): value is WebResponse {
  const response = value as Partial<WebResponse> | null;
  return typeof response === "object" && response !== null && typeof response.status === "number" && typeof response.body === "string" && typeof response.url === "string" && typeof response.headers === "object";
}

/** What the journal keeps of a file read: small files whole, every file by size and hash. */
interface FileRead {
  size: number;
  sha256: string;
  base64?: string;
}

type Replay = (kind: StepKind, key: string, print: string | undefined, what: string) => StepRecord | undefined;

/**
 * Each `generate` is journaled with a fingerprint of the script's model choice and the request
 * (system text, messages, settings, schema): the request itself is hashed, never stored.
 * Streams are not journaled.
 */
function journaledModels(resolver: ModelResolver, journal: Journal, steps: StepSource, replay: Replay, warn: (message: string) => void): ModelResolver {
  return {
    resolve: async (choice) => {
      const model = await resolver.resolve(choice);
      return journaledModel(model, choice, journal, steps, replay, warn);
    },
  };
}

function journaledModel(model: LanguageModel, choice: ModelChoice, journal: Journal, steps: StepSource, replay: Replay, warn: (message: string) => void): LanguageModel {
  return {
    providerId: model.providerId,
    providerType: model.providerType,
    model: model.model,
    stream: (request) => model.stream(request),
    generate: async (request) => {
      const key = steps.nextStep("model");
      const print = requestFingerprint(choice, request);
      const record = replay("model", key, print, "model call");
      if (record) {
        const result = decodeResult(record.result);
        if (result) {
          replayedResults.add(result);
          return result;
        }
      }
      const result = await model.generate(request);
      await appendOrWarn(journal, { kind: "model", step: key, fingerprint: print, result: encodeResult(result) }, warn, `The model's answer at ${steps.where()}`);
      return result;
    },
  };
}

/**
 * Appends a durable record and resolves once it is on disk (the caller awaits it before using the
 * step's result); one larger than a journal line may be (answers are bounded well below it, see
 * src/llm/answer-checks.ts) is used but not journaled, and a resumed run does its step again.
 */
function appendOrWarn(journal: Journal, record: JournalRecord, warn: (message: string) => void, what: string): Promise<void> {
  try {
    return journal.append(record, { durable: true });
  } catch (problem) {
    if (!(problem instanceof JournalRecordTooLarge)) throw problem;
    warn(`${what} is ${megabytes(problem.bytes)}, more than the run's journal keeps (${megabytes(problem.maxBytes)} a record): it is used, but not journaled, and a resumed run does that step again.`);
    return Promise.resolve();
  }
}

function requestFingerprint(choice: ModelChoice, request: GenerateRequest): string {
  const { system, messages, temperature, maxOutputTokens, structuredOutput, jsonMode } = request;
  return fingerprint({ choice, system, messages, temperature, maxOutputTokens, structuredOutput, ...(jsonMode ? { jsonMode } : {}) });
}

function encodeResult(result: GenerateResult): Record<string, unknown> {
  const { text, json, usage, finishReason, providerId, providerType, model, warnings } = result;
  return { text, ...(json === undefined ? {} : { json }), usage, finishReason, providerId, providerType, model, warnings };
}

function decodeResult(value: unknown): GenerateResult | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const stored = value as Partial<GenerateResult>;
  if (typeof stored.text !== "string") return undefined;
  const result: GenerateResult = {
    text: stored.text,
    usage: { inputTokens: stored.usage?.inputTokens ?? undefined, outputTokens: stored.usage?.outputTokens ?? undefined },
    finishReason: stored.finishReason ?? "stop",
    providerId: stored.providerId ?? "",
    providerType: stored.providerType ?? "custom",
    model: stored.model ?? "",
    warnings: stored.warnings ?? [],
  };
  if (stored.json !== undefined) result.json = stored.json;
  return result;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The answers a run takes: those given now (`--answer`, `--answers`) first, then those the
 * journal holds from earlier attempts (by question id). Every answer taken is journaled, so a
 * resumed run needs only the new ones.
 */
export function journaledAnswers(given: AnswerSource, journal: Journal): AnswerSource {
  return {
    find: (question: Pick<Question, "id" | "text" | "subject">): Answer | undefined => {
      const earlier = journal.answers.get(question.id);
      const answer = given.find(question) ?? earlier;
      if (answer !== undefined && JSON.stringify(answer) !== JSON.stringify(earlier)) {
        // Found while the statement runs, which cannot wait here: the answer goes with the next
        // commit, before any later step's result is used (commits are in order). Were it lost to
        // a crash first, the resumed run asks for it again; a failed write stops the run at its
        // next durable step.
        journal.append({ kind: "answer", question: question.id, answer }, { durable: true }).catch(() => undefined);
      }
      return answer;
    },
  };
}
