import { ProviderError } from "../../src/llm/provider-error.js";
import type { GenerateRequest, GenerateResult, LanguageModel, StreamEvent } from "../../src/llm/language-model.js";

/** A distinctive fake credential: it must never show in an error message. */
export const canarySecret = "sk-canary-7f3a9c2e5b1d4e6f8a0b2c4d";

export function userText(text: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { messages: [{ role: "user", content: [{ type: "text", text }] }], ...extra };
}

/** The `ProviderError` a call fails with; fails the test when the call succeeds or throws anything else. */
export async function failureOf(call: Promise<unknown> | (() => Promise<unknown>)): Promise<ProviderError> {
  try {
    await (typeof call === "function" ? call() : call);
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw new Error(`expected a ProviderError, got ${String(error)}`, { cause: error });
  }
  throw new Error("expected the call to fail, it succeeded");
}

export interface StreamOutcome {
  deltas: string[];
  result: GenerateResult | undefined;
  error: ProviderError | undefined;
}

/** Reads a whole stream; a failure is returned, not thrown, with the deltas seen before it. */
export async function readStream(model: LanguageModel, request: GenerateRequest): Promise<StreamOutcome> {
  const deltas: string[] = [];
  let result: GenerateResult | undefined;
  try {
    for await (const event of model.stream(request) as AsyncIterable<StreamEvent>) {
      if (event.type === "text-delta") deltas.push(event.text);
      else if (event.type === "finish") result = event.result;
    }
  } catch (error) {
    if (error instanceof ProviderError) return { deltas, result, error };
    throw error;
  }
  return { deltas, result, error: undefined };
}
