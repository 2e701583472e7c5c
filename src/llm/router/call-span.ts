import { type Attributes, context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { GenerateRequest, GenerateResult, ProviderIdentity } from "../language-model.js";
import type { UsageRecord } from "./usage-record.js";

/**
 * Each routed call is an OpenTelemetry span (`prose.model_call`) with one child span per attempt
 * (`chat <model>`), through `@opentelemetry/api` alone: without an SDK registered by the user
 * they are no-ops. Spans carry the agent, project, run, provider id and type, model, tokens, cost
 * and outcome; prompts and answers only when the run asks for them (`PROSE_TRACE_CONTENT=1`).
 */
const tracer = trace.getTracer("prose");

export interface SpanLabels {
  agent: string;
  project: string | null;
  runId: string | null;
  /** Record the prompt and the answer on the call's span. */
  recordContent: boolean;
}

export function startCallSpan(labels: SpanLabels, primary: ProviderIdentity, request: GenerateRequest): Span {
  const span = tracer.startSpan("prose.model_call", { kind: SpanKind.INTERNAL });
  // Without an SDK (or sampled out) the span records nothing: build no attributes for it.
  if (!span.isRecording()) return span;
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": primary.providerType,
    "gen_ai.request.model": primary.model,
    "prose.agent": labels.agent,
    "prose.provider.id": primary.providerId,
  };
  if (labels.project !== null) attributes["prose.project"] = labels.project;
  if (labels.runId !== null) attributes["prose.run_id"] = labels.runId;
  if (labels.recordContent) attributes["gen_ai.input.messages"] = JSON.stringify(promptOf(request));
  span.setAttributes(attributes);
  return span;
}

export function startAttemptSpan(parent: Span, target: ProviderIdentity, attempt: number, fallbackFrom: ProviderIdentity | null): Span {
  // A call that is not recorded has attempts that are not either (ending a non-recording span twice does nothing).
  if (!parent.isRecording()) return parent;
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": target.providerType,
    "gen_ai.request.model": target.model,
    "prose.provider.id": target.providerId,
    "prose.attempt": attempt,
  };
  if (fallbackFrom !== null) attributes["prose.fallback_from"] = `${fallbackFrom.providerId} ${fallbackFrom.model}`;
  return tracer.startSpan(`chat ${target.model}`, { kind: SpanKind.CLIENT, attributes }, trace.setSpan(context.active(), parent));
}

export function endAttemptSpan(span: Span, record: UsageRecord): void {
  if (!span.isRecording()) return;
  span.setAttributes(outcomeAttributes(record));
  if (record.outcome !== "ok") span.setStatus({ code: SpanStatusCode.ERROR, message: record.outcome });
  span.end();
}

/** Ends the call's span with its last attempt (the one that answered, or the last failure). */
export function endCallSpan(span: Span, labels: SpanLabels, last: UsageRecord | undefined, attempts: number, result: GenerateResult | undefined, failure: string | undefined): void {
  if (!span.isRecording()) return;
  span.setAttribute("prose.attempts", attempts);
  if (last !== undefined) {
    span.setAttributes(outcomeAttributes(last));
    span.setAttributes({ "prose.served_by.provider.id": last.providerId, "gen_ai.response.model": last.model });
  }
  if (result !== undefined && labels.recordContent) span.setAttribute("gen_ai.output.messages", JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: result.text }] }]));
  if (failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
  span.end();
}

function outcomeAttributes(record: UsageRecord): Attributes {
  const attributes: Attributes = { "prose.outcome": record.outcome, "prose.latency_ms": record.latencyMs, "prose.queued_ms": record.queuedMs };
  if (record.inputTokens !== null) attributes["gen_ai.usage.input_tokens"] = record.inputTokens;
  if (record.outputTokens !== null) attributes["gen_ai.usage.output_tokens"] = record.outputTokens;
  if (record.costUsd !== null) attributes["prose.cost_usd"] = record.costUsd;
  if (record.status !== null) attributes["http.response.status_code"] = record.status;
  return attributes;
}

/** The prompt as OpenTelemetry's GenAI conventions write messages; images are named, not copied. */
function promptOf(request: GenerateRequest): unknown[] {
  const messages: unknown[] = [];
  if (request.system !== undefined) messages.push({ role: "system", parts: [{ type: "text", content: request.system }] });
  for (const message of request.messages) {
    messages.push({
      role: message.role,
      parts: message.content.map((part) => (part.type === "text" ? { type: "text", content: part.text } : { type: "image", media_type: part.mediaType })),
    });
  }
  return messages;
}
