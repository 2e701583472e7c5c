import { emptyAnswer } from "./answer-checks.js";
import type { FinishReason, GenerateResult, Usage } from "./language-model.js";
import type { ErrorContext } from "./provider-error.js";

export interface ResultParts {
  text: string;
  /** Already-parsed structured output (a tool's input), when the SDK gives an object. */
  json?: unknown;
  /** True when the request asked for structured output. */
  structured: boolean;
  usage: Usage;
  finishReason: FinishReason;
  warnings: readonly string[];
  /** Why the text is empty, in the provider's terms ("the answer had no choices"), when it is. */
  noText?: string;
}

/**
 * Assembles the result; structured text that does not parse becomes a warning, left to the
 * caller to repair. An answer without text (or only white space) is no answer: it fails as a
 * retryable `empty-answer` (a structured answer always has text, `{}` at least).
 */
export function buildResult(context: ErrorContext, parts: ResultParts): GenerateResult {
  // Cut by the output bound before any text (a reasoning model's thinking used it up): an answer
  // like any cut one, which the LLM procedure asks again with a larger bound (not a retry at the same one).
  const cutBeforeText = parts.finishReason === "length";
  if (parts.text.trim() === "" && !cutBeforeText) throw emptyAnswer(context, parts.noText ?? whyNoText(parts));
  const identity = context;
  const warnings = [...parts.warnings];
  let json = parts.json;
  if (parts.structured && json === undefined) {
    try {
      json = JSON.parse(parts.text);
    } catch {
      warnings.push(
        parts.finishReason === "length"
          ? "The structured output is not valid JSON: it was cut at the output token limit."
          : "The structured output is not valid JSON.",
      );
    }
  }
  const result: GenerateResult = {
    text: parts.text,
    usage: parts.usage,
    finishReason: parts.finishReason,
    providerId: identity.providerId,
    providerType: identity.providerType,
    model: identity.model,
    warnings,
  };
  if (json !== undefined) result.json = json;
  return result;
}

export function tokenCount(value: number | null | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function whyNoText(parts: ResultParts): string {
  const refusal = parts.warnings.find((warning) => warning.startsWith("The model refused: "));
  if (refusal !== undefined) return `it refused: ${refusal.slice("The model refused: ".length)}`;
  switch (parts.finishReason) {
    case "content-filter":
      return "its answer was filtered";
    case "length":
      return "it reached the output token limit before writing any";
    case "tool":
      return "it called a tool instead";
    default:
      return parts.text === "" ? "its text is empty" : "its text is only white space";
  }
}
