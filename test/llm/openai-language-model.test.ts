import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenAiLanguageModel } from "../../src/llm/openai/openai-language-model.js";
import { canarySecret, failureOf, readStream, userText } from "../support/model-calls.js";
import { openAiCompletion, openAiError, openAiErrors, openAiStream } from "../support/openai-server.js";
import { malformedJson, type ScriptedServer } from "../support/scripted-server.js";
import { startOpenAiServer } from "../support/openai-server.js";

const apiKey = "sk-test-openai-0001";
let server: ScriptedServer;

beforeEach(async () => {
  server = await startOpenAiServer();
});
afterEach(async () => {
  await server.close();
});

function model(name = "gpt-4o-mini", key = apiKey): OpenAiLanguageModel {
  return new OpenAiLanguageModel({ providerType: "openai", providerId: "openai-main", model: name, apiKey: key, baseURL: `${server.url}/v1` });
}

const invoiceSchema = {
  type: "object",
  properties: { number: { type: "string" }, total: { type: "number" } },
  required: ["number", "total"],
  additionalProperties: false,
};

describe("OpenAI chat completions: requests and results", () => {
  it("sends the messages, settings and key, and reads text, usage and finish reason", async () => {
    server.enqueue(openAiCompletion("Hello there.", { inputTokens: 21, outputTokens: 3 }));
    const result = await model().generate({
      system: "Answer briefly.",
      messages: [
        { role: "user", content: [{ type: "text", text: "Describe this." }, { type: "image", mediaType: "image/png", base64: "iVBORw0KGgo=" }] },
      ],
      temperature: 0,
      maxOutputTokens: 50,
    });

    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.body).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Answer briefly." },
        {
          role: "user",
          content: [
            { type: "text", text: "Describe this." },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          ],
        },
      ],
      temperature: 0,
      max_completion_tokens: 50,
      store: false,
      stream: false,
    });
    expect(result).toEqual({
      text: "Hello there.",
      usage: { inputTokens: 21, outputTokens: 3 },
      finishReason: "stop",
      providerId: "openai-main",
      providerType: "openai",
      model: "gpt-4o-mini",
      warnings: [],
    });
  });

  it("asks for structured output with a strict JSON schema and parses the JSON", async () => {
    server.enqueue(openAiCompletion('{"number":"INV-7","total":120.5}'));
    const result = await model().generate(userText("Extract.", { structuredOutput: { name: "invoice", jsonSchema: invoiceSchema } }));
    expect((server.requests[0]?.body as Record<string, unknown>).response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "invoice", schema: invoiceSchema, strict: true },
    });
    expect(result.json).toEqual({ number: "INV-7", total: 120.5 });
  });

  it("keeps structured text that does not parse, with a warning", async () => {
    server.enqueue(openAiCompletion('{"number":"INV-7","tot', { finishReason: "length" }));
    const result = await model().generate(userText("Extract.", { structuredOutput: { name: "invoice", jsonSchema: invoiceSchema } }));
    expect(result.json).toBeUndefined();
    expect(result.finishReason).toBe("length");
    expect(result.warnings).toEqual(["The structured output is not valid JSON: it was cut at the output token limit."]);
  });

  it.each([
    ["gpt-5-mini", "minimal"],
    ["gpt-5.1", "none"],
    ["o3-mini", "low"],
  ])("sends the lowest reasoning effort to %s and drops the temperature with a warning", async (name, effort) => {
    server.enqueue(openAiCompletion("ok"));
    const result = await model(name).generate(userText("Hi", { temperature: 0.2 }));
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.reasoning_effort).toBe(effort);
    expect(body).not.toHaveProperty("temperature");
    expect(result.warnings).toEqual([`Model "${name}" is a reasoning model and accepts no temperature; the temperature 0.2 was ignored.`]);
  });

  it("maps finish reasons and refusals (a refusal without text is an empty answer)", async () => {
    server.enqueue(openAiCompletion("Part of", { finishReason: "content_filter" }), openAiCompletion(null, { refusal: "I can't help with that." }));
    expect((await model().generate(userText("a"))).finishReason).toBe("content-filter");
    const refused = await failureOf(model().generate(userText("b")));
    expect(refused.kind).toBe("empty-answer");
    expect(refused.message).toContain("the model answered with no text (it refused: I can't help with that.)");
  });
});

describe("OpenAI chat completions: streaming", () => {
  it("streams deltas, then the result with usage", async () => {
    server.enqueue(openAiStream(["Hel", "lo", "!"], { inputTokens: 8, outputTokens: 3 }));
    const outcome = await readStream(model(), userText("Hi"));
    expect(outcome.error).toBeUndefined();
    expect(outcome.deltas).toEqual(["Hel", "lo", "!"]);
    expect(outcome.result).toMatchObject({ text: "Hello!", finishReason: "stop", usage: { inputTokens: 8, outputTokens: 3 } });
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it("reports a stream cut halfway as a retryable stream-cut, after the deltas that arrived", async () => {
    server.enqueue(openAiStream(["one ", "two ", "three ", "four"], { cutAfter: 3 }));
    const outcome = await readStream(model(), userText("Count"));
    expect(outcome.deltas).toEqual(["one ", "two "]);
    expect(outcome.result).toBeUndefined();
    expect(outcome.error).toMatchObject({ kind: "stream-cut", isRetryable: true, status: undefined });
    expect(outcome.error?.message).toMatch(/^Provider "openai-main" \(openai\), model "gpt-4o-mini": the answer stream ended before the model finished/);
  });

  it("reports a stream that ends cleanly without a finish reason as cut", async () => {
    server.enqueue(openAiStream(["partial"], { omitFinish: true }));
    const outcome = await readStream(model(), userText("Hi"));
    expect(outcome.error).toMatchObject({ kind: "stream-cut", isRetryable: true });
  });

  it("reports an error event inside the stream", async () => {
    server.enqueue({
      status: 200,
      headers: { "content-type": "text/event-stream" },
      chunks: [`data: ${JSON.stringify({ error: { message: "The server had an error", type: "server_error" } })}\n\n`],
    });
    const outcome = await readStream(model(), userText("Hi"));
    expect(outcome.error).toMatchObject({ kind: "server", isRetryable: true });
    expect(outcome.error?.message).toContain("The server had an error");
  });
});

describe("OpenAI chat completions: errors", () => {
  it.each([
    [openAiErrors.badRequest(), { status: 400, kind: "bad-request", isRetryable: false, providerCode: "invalid_json_schema" }, /the request was rejected \(400\): change the part of the call the provider names \(its settings, sources or fields\), or use another model\. The provider said: "Invalid schema for response_format 'invoice'/],
    [openAiErrors.invalidKey(), { status: 401, kind: "authentication", isRetryable: false }, /the key was rejected \(401\): check the API key of provider "openai-main"/],
    [openAiError(403, { message: "Project does not have access to model gpt-4o-mini", type: "invalid_request_error", code: "model_not_found" }), { status: 403, kind: "permission", isRetryable: false }, /access was denied \(403\)/],
    [openAiError(404, { message: "The model `gpt-9` does not exist", type: "invalid_request_error", code: "model_not_found" }), { status: 404, kind: "not-found", isRetryable: false }, /check that model "gpt-4o-mini" exists for provider "openai-main"/],
    [openAiErrors.rateLimited(3), { status: 429, kind: "rate-limit", isRetryable: true, retryAfterSeconds: 3 }, /rate limited \(429\), retry after 3 s\./],
    [openAiErrors.quotaExhausted(), { status: 429, kind: "quota-exhausted", isRetryable: false, retryAfterSeconds: undefined }, /no quota left \(429\): check the plan and billing of provider "openai-main"/],
    [openAiErrors.serverError(), { status: 500, kind: "server", isRetryable: true }, /the provider failed \(500\), retry later/],
    [openAiErrors.overloaded(), { status: 503, kind: "server", isRetryable: true }, /\(503\)/],
    [openAiError(408, { message: "Request timed out", type: "timeout" }), { status: 408, kind: "timeout", isRetryable: true }, /timed out \(408\)/],
  ])("maps an HTTP error to a ProviderError (%#)", async (response, expected, message) => {
    server.enqueue(response);
    const error = await failureOf(model().generate(userText("Hi")));
    expect(error).toMatchObject({ providerId: "openai-main", providerType: "openai", model: "gpt-4o-mini", ...expected });
    expect(error.message).toMatch(message);
  });

  it("reads a Retry-After given as an HTTP date", async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    server.enqueue(openAiError(429, { message: "Slow down", type: "requests" }, { "retry-after": inTenSeconds }));
    const error = await failureOf(model().generate(userText("Hi")));
    expect(error.retryAfterSeconds).toBeGreaterThan(7);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(10);
  });

  it("treats malformed JSON as a retryable unreadable answer", async () => {
    server.enqueue(malformedJson());
    const error = await failureOf(model().generate(userText("Hi")));
    expect(error).toMatchObject({ kind: "malformed-response", isRetryable: true });
    expect(error.message).toContain("could not be read: its JSON is malformed");
  });

  it("treats a connection destroyed before any answer as a retryable connection failure", async () => {
    server.enqueue({ destroy: true });
    const error = await failureOf(model().generate(userText("Hi")));
    expect(error).toMatchObject({ kind: "connection", isRetryable: true });
  });

  it("turns a timeout into a retryable timeout and a cancellation into a final one", async () => {
    server.enqueue({ ...openAiCompletion("late"), delayMilliseconds: 2000 });
    const timedOut = await failureOf(model().generate(userText("Hi", { timeoutMilliseconds: 100 })));
    expect(timedOut).toMatchObject({ kind: "timeout", isRetryable: true });
    expect(timedOut.message).toContain("no complete answer within 100 ms");

    server.enqueue({ ...openAiCompletion("late"), delayMilliseconds: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const cancelled = await failureOf(model().generate(userText("Hi", { signal: controller.signal })));
    expect(cancelled).toMatchObject({ kind: "aborted", isRetryable: false });
  });

  it("never shows the key, even when the server echoes it back", async () => {
    server.enqueue(openAiErrors.invalidKey(canarySecret), openAiError(400, { message: `Bad header Authorization: Bearer ${canarySecret}`, type: "invalid_request_error" }));
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await failureOf(model("gpt-4o-mini", canarySecret).generate(userText("Hi")));
      expect(server.requests[attempt]?.headers.authorization).toBe(`Bearer ${canarySecret}`);
      expect(error.message).toContain("[redacted]");
      expect(error.message).not.toContain(canarySecret);
      expect(error.providerMessage).not.toContain(canarySecret);
      expect(JSON.stringify(error)).not.toContain(canarySecret);
      expect(String(error.stack)).not.toContain(canarySecret);
    }
  });
});
