import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnthropicLanguageModel } from "../../src/llm/anthropic/anthropic-language-model.js";
import {
  anthropicError,
  anthropicErrors,
  anthropicStream,
  anthropicStreamError,
  anthropicText,
  anthropicToolUse,
  startAnthropicServer,
} from "../support/anthropic-server.js";
import { canarySecret, failureOf, readStream, userText } from "../support/model-calls.js";
import { malformedJson, type ScriptedServer } from "../support/scripted-server.js";

const apiKey = "sk-ant-test-0001";
let server: ScriptedServer;
beforeEach(async () => {
  server = await startAnthropicServer();
});
afterEach(async () => {
  await server.close();
});

function model(key = apiKey): AnthropicLanguageModel {
  return new AnthropicLanguageModel({ providerId: "claude", model: "claude-haiku-4-5", apiKey: key, baseURL: server.url });
}

const verdictSchema = {
  type: "object",
  properties: { category: { type: "string", enum: ["invoice", "receipt"] } },
  required: ["category"],
  additionalProperties: false,
};

describe("Anthropic messages: requests and results", () => {
  it("sends the system text, messages, images and key, and reads the answer", async () => {
    server.enqueue(anthropicText("A red square.", { inputTokens: 30, outputTokens: 5 }));
    const result = await model().generate({
      system: "Describe images in one sentence.",
      messages: [
        { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image", mediaType: "image/png", base64: "iVBORw0KGgo=" }] },
      ],
      maxOutputTokens: 100,
    });
    const [request] = server.requests;
    expect(request?.path).toBe("/v1/messages");
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.headers["anthropic-version"]).toBe("2026-10-21");
    expect(request?.body).toEqual({
      model: "claude-haiku-4-5",
      max_tokens: 100,
      thinking: { type: "disabled" },
      system: "Describe images in one sentence.",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          ],
        },
      ],
      stream: false,
    });
    expect(result).toEqual({
      text: "A red square.",
      usage: { inputTokens: 30, outputTokens: 5 },
      finishReason: "stop",
      providerId: "claude",
      providerType: "anthropic",
      model: "claude-haiku-4-5",
      warnings: [],
    });
  });

  it("asks for structured output through one forced tool and returns its input as JSON", async () => {
    server.enqueue(anthropicToolUse("verdict", { category: "receipt" }));
    const result = await model().generate(userText("Classify.", { structuredOutput: { name: "verdict", jsonSchema: verdictSchema } }));
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.tools).toEqual([{ name: "verdict", description: "Give the answer as the input of this tool, following its schema.", input_schema: verdictSchema }]);
    expect(body.tool_choice).toEqual({ type: "tool", name: "verdict" });
    expect(body.thinking).toEqual({ type: "disabled" });
    expect(body.max_tokens).toBe(4096);
    expect(result).toMatchObject({ json: { category: "receipt" }, text: '{"category":"receipt"}', finishReason: "stop" });
  });

  it("turns a temperature into a warning, since API version 2026-10-21 refuses it", async () => {
    server.enqueue(anthropicText("ok"));
    const result = await model().generate(userText("Hi", { temperature: 0.2 }));
    expect(server.requests[0]?.body).not.toHaveProperty("temperature");
    expect(result.warnings).toEqual(["Anthropic accepts no temperature (API version 2026-10-21); the temperature 0.2 was ignored."]);
  });

  it("maps stop reasons", async () => {
    server.enqueue(anthropicText("cut", { stopReason: "max_tokens" }), anthropicText("I won't", { stopReason: "refusal" }), anthropicText("", { stopReason: "refusal" }));
    expect((await model().generate(userText("a"))).finishReason).toBe("length");
    expect((await model().generate(userText("b"))).finishReason).toBe("content-filter");
    // A refusal without text is no answer (see test/security/answers-empty.test.ts).
    expect((await failureOf(model().generate(userText("c")))).kind).toBe("empty-answer");
  });
});

describe("Anthropic messages: streaming", () => {
  it("streams text deltas and the usage", async () => {
    server.enqueue(anthropicStream(["Hello", " there"], { inputTokens: 25, outputTokens: 2 }));
    const outcome = await readStream(model(), userText("Hi"));
    expect(outcome.error).toBeUndefined();
    expect(outcome.deltas).toEqual(["Hello", " there"]);
    expect(outcome.result).toMatchObject({ text: "Hello there", finishReason: "stop", usage: { inputTokens: 25, outputTokens: 2 } });
    expect((server.requests[0]?.body as Record<string, unknown>).stream).toBe(true);
  });

  it("streams the tool input's JSON and parses it at the end", async () => {
    server.enqueue(anthropicStream(['{"categ', 'ory": "invoice"}'], { toolName: "verdict" }));
    const outcome = await readStream(model(), userText("Classify.", { structuredOutput: { name: "verdict", jsonSchema: verdictSchema } }));
    expect(outcome.deltas).toEqual(['{"categ', 'ory": "invoice"}']);
    expect(outcome.result).toMatchObject({ json: { category: "invoice" }, finishReason: "stop" });
  });

  it("reports a stream cut halfway as a retryable stream-cut", async () => {
    server.enqueue(anthropicStream(["one ", "two ", "three"], { cutAfter: 4 }));
    const outcome = await readStream(model(), userText("Count"));
    expect(outcome.deltas).toEqual(["one "]);
    expect(outcome.error).toMatchObject({ kind: "stream-cut", isRetryable: true });
  });

  it("reports a stream without message_stop as cut", async () => {
    server.enqueue(anthropicStream(["partial"], { omitStop: true }));
    expect((await readStream(model(), userText("Hi"))).error).toMatchObject({ kind: "stream-cut", isRetryable: true });
  });

  it("maps an overloaded error event inside the stream", async () => {
    server.enqueue(anthropicStreamError("overloaded_error", "Overloaded"));
    const outcome = await readStream(model(), userText("Hi"));
    expect(outcome.error).toMatchObject({ kind: "overloaded", status: 529, isRetryable: true, providerCode: "overloaded_error" });
  });
});

describe("Anthropic messages: errors", () => {
  it.each([
    [anthropicErrors.badRequest(), { status: 400, kind: "bad-request", isRetryable: false, providerCode: "invalid_request_error" }, /rejected \(400\): change the part of the call the provider names \(its settings, sources or fields\), or use another model\. The provider said: "messages\.0\.content\.1\.image/],
    [anthropicErrors.invalidKey(), { status: 401, kind: "authentication", isRetryable: false }, /the key was rejected \(401\): check the API key of provider "claude"/],
    [anthropicErrors.permission(), { status: 403, kind: "permission", isRetryable: false }, /access was denied \(403\)/],
    [anthropicErrors.notFound(), { status: 404, kind: "not-found", isRetryable: false }, /check that model "claude-haiku-4-5" exists/],
    [anthropicErrors.rateLimited(7), { status: 429, kind: "rate-limit", isRetryable: true, retryAfterSeconds: 7 }, /rate limited \(429\), retry after 7 s/],
    [anthropicErrors.serverError(), { status: 500, kind: "server", isRetryable: true }, /the provider failed \(500\)/],
    [anthropicErrors.overloaded(), { status: 529, kind: "overloaded", isRetryable: true, providerCode: "overloaded_error" }, /the provider is overloaded \(529\), retry later/],
    [anthropicError(402, "billing_error", "Your credit balance is too low."), { status: 402, kind: "quota-exhausted", isRetryable: false }, /no quota left \(402\)/],
  ])("maps an HTTP error to a ProviderError (%#)", async (response, expected, message) => {
    server.enqueue(response);
    const error = await failureOf(model().generate(userText("Hi")));
    expect(error).toMatchObject({ providerId: "claude", providerType: "anthropic", model: "claude-haiku-4-5", ...expected });
    expect(error.message).toMatch(message);
  });

  it("treats malformed JSON and a dropped connection as retryable", async () => {
    server.enqueue(malformedJson(), { destroy: true });
    expect(await failureOf(model().generate(userText("Hi")))).toMatchObject({ kind: "malformed-response", isRetryable: true });
    expect(await failureOf(model().generate(userText("Hi")))).toMatchObject({ kind: "connection", isRetryable: true });
  });

  it("turns a timeout into a retryable timeout", async () => {
    server.enqueue({ ...anthropicText("late"), delayMilliseconds: 2000 });
    expect(await failureOf(model().generate(userText("Hi", { timeoutMilliseconds: 100 })))).toMatchObject({ kind: "timeout", isRetryable: true });
  });

  it("never shows the key, even when the server echoes it back", async () => {
    server.enqueue(anthropicErrors.invalidKey(canarySecret));
    const error = await failureOf(model(canarySecret).generate(userText("Hi")));
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${canarySecret}`);
    expect(error.message).toContain("invalid x-api-key: [redacted]");
    expect(error.message).not.toContain(canarySecret);
    expect(JSON.stringify(error)).not.toContain(canarySecret);
  });
});
