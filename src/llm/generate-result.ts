import type { FinishReason, GenerateResult, ProviderIdentity, Usage } from "./language-model.js";

export interface ResultParts {
  text: string;
  /** Already-parsed structured output (a tool's input), when the SDK gives an object. */
  json?: unknown;
  /** True when the request asked for structured output. */
  structured: boolean;
  usage: Usage;
  finishReason: FinishReason;
  warnings: readonly string[];
}

/** Assembles the result; structured text that does not parse becomes a warning, left to the caller to repair. */
export function buildResult(identity: ProviderIdentity, parts: ResultParts): GenerateResult {
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
