import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GoogleLanguageModel } from "../../src/llm/google/google-language-model.js";
import { geminiBlocked, geminiStream, geminiText, googleError, googleErrors, startGeminiServer } from "../support/gemini-server.js";
import { canarySecret, failureOf, readStream, userText } from "../support/model-calls.js";
import { malformedJson, type ScriptedServer } from "../support/scripted-server.js";

const apiKey = "AIza-test-gemini-0001";
let server: ScriptedServer;
beforeEach(async () => {
  server = await startGeminiServer();
});
afterEach(async () => {
  await server.close();
});

function model(name = "gemini-2.5-flash", key = apiKey): GoogleLanguageModel {
  return new GoogleLanguageModel({ providerType: "gemini", providerId: "gemini", model: name, apiKey: key, baseUrl: server.url });
}

const summarySchema = {
  type: "object",
  properties: { summary: { type: "string" }, sentences: { type: "integer" } },
  required: ["summary", "sentences"],
};

describe("Gemini API: requests and results", () => {
  it("sends contents, system instruction, settings and key; turns thinking off; reads the answer", async () => {
    server.enqueue(geminiText("A cat.", { inputTokens: 11, outputTokens: 2 }));
    const result = await model().generate({
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "What is it?" }, { type: "image", mediaType: "image/jpeg", base64: "/9j/4AAQ" }] }],
      temperature: 0,
      maxOutputTokens: 64,
    });
    const [request] = server.requests;
    expect(request?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(request?.headers["x-goog-api-key"]).toBe(apiKey);
    expect(request?.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "What is it?" }, { inlineData: { mimeType: "image/jpeg", data: "/9j/4AAQ" } }] }],
      systemInstruction: { parts: [{ text: "Be brief." }], role: "user" },
      generationConfig: { temperature: 0, maxOutputTokens: 64, thinkingConfig: { thinkingBudget: 0 } },
    });
    expect(result).toEqual({
      text: "A cat.",
      usage: { inputTokens: 11, outputTokens: 2 },
      finishReason: "stop",
      providerId: "gemini",
      providerType: "gemini",
      model: "gemini-2.5-flash",
      warnings: [],
    });
  });

  it("asks for JSON with the response JSON schema and parses it", async () => {
    server.enqueue(geminiText('{"summary":"Short.","sentences":1}'));
    const result = await model().generate(userText("Summarize.", { structuredOutput: { name: "summary", jsonSchema: summarySchema } }));
    const generationConfig = (server.requests[0]?.body as { generationConfig: Record<string, unknown> }).generationConfig;
    expect(generationConfig.responseMimeType).toBe("application/json");
    expect(generationConfig.responseJsonSchema).toEqual(summarySchema);
    expect(result.json).toEqual({ summary: "Short.", sentences: 1 });
  });

  it("uses the lowest thinking a model allows, with a warning where it cannot be off", async () => {
    server.enqueue(geminiText("ok", { thoughtTokens: 40, outputTokens: 2 }), geminiText("ok"), geminiText("ok"));
    const pro = await model("gemini-2.5-pro").generate(userText("Hi"));
    expect(pro.warnings).toEqual(['Model "gemini-2.5-pro" cannot turn thinking off; it thinks with the lowest budget (128 tokens).']);
    expect(pro.usage.outputTokens).toBe(42);
    await model("gemini-3-flash-preview").generate(userText("Hi"));
    await model("gemini-2.0-flash").generate(userText("Hi"));
    const thinking = server.requests.map((request) => (request.body as { generationConfig?: Record<string, unknown> }).generationConfig?.thinkingConfig);
    expect(thinking).toEqual([{ thinkingBudget: 128 }, { thinkingLevel: "MINIMAL" }, undefined]);
  });

  it("maps finish reasons and a blocked prompt", async () => {
    server.enqueue(geminiText("cut", { finishReason: "MAX_TOKENS" }), geminiText("Part of", { finishReason: "SAFETY" }), geminiBlocked());
    expect((await model().generate(userText("a"))).finishReason).toBe("length");
    expect((await model().generate(userText("b"))).finishReason).toBe("content-filter");
    // A blocked prompt has no text: no answer (see test/security/answers-empty.test.ts).
    expect((await failureOf(model().generate(userText("c")))).kind).toBe("empty-answer");
  });
});

describe("Gemini API: streaming", () => {
  it("streams with alt=sse and reads the final usage", async () => {
    server.enqueue(geminiStream(["The ", "answer"], { inputTokens: 9, outputTokens: 2 }));
    const outcome = await readStream(model(), userText("Hi"));
    expect(outcome.error).toBeUndefined();
    expect(server.requests[0]?.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    expect(server.requests[0]?.query.get("alt")).toBe("sse");
    expect(outcome.deltas).toEqual(["The ", "answer"]);
    expect(outcome.result).toMatchObject({ text: "The answer", finishReason: "stop", usage: { inputTokens: 9, outputTokens: 2 } });
  });

  it("reports a stream cut halfway, or ending without a finish reason, as a retryable stream-cut", async () => {
    server.enqueue(geminiStream(["a", "b", "c", "d"], { cutAfter: 2 }), geminiStream(["a", "b"], { omitFinish: true }));
    const cut = await readStream(model(), userText("Hi"));
    expect(cut.deltas).toEqual(["a", "b"]);
    expect(cut.error).toMatchObject({ kind: "stream-cut", isRetryable: true });
    expect((await readStream(model(), userText("Hi"))).error).toMatchObject({ kind: "stream-cut", isRetryable: true });
  });

  it("maps an error answer to a streaming call", async () => {
    server.enqueue(googleErrors.overloaded());
    expect((await readStream(model(), userText("Hi"))).error).toMatchObject({ kind: "server", status: 503, isRetryable: true });
  });
});

describe("Gemini API: errors", () => {
  it.each([
    [googleErrors.badRequest(), { status: 400, kind: "bad-request", isRetryable: false, providerCode: "INVALID_ARGUMENT" }, /rejected \(400\): change the part of the call the provider names \(its settings, sources or fields\), or use another model\. The provider said: "Invalid JSON payload received/],
    [googleErrors.invalidKey(), { status: 400, kind: "authentication", isRetryable: false, providerCode: "API_KEY_INVALID" }, /the key was rejected \(400\): check the API key of provider "gemini"/],
    [googleErrors.permissionDenied(), { status: 403, kind: "permission", isRetryable: false }, /access was denied \(403\)/],
    [googleErrors.notFound(), { status: 404, kind: "not-found", isRetryable: false }, /check that model "gemini-2.5-flash" exists/],
    [googleErrors.rateLimitedWithRetryInfo("3s"), { status: 429, kind: "rate-limit", isRetryable: true, retryAfterSeconds: 3 }, /rate limited \(429\), retry after 3 s/],
    [googleErrors.rateLimitedWithHeader(12), { status: 429, kind: "rate-limit", isRetryable: true, retryAfterSeconds: 12 }, /retry after 12 s/],
    [googleErrors.serverError(), { status: 500, kind: "server", isRetryable: true }, /the provider failed \(500\)/],
    [googleErrors.overloaded(), { status: 503, kind: "server", isRetryable: true }, /The model is overloaded/],
    [googleError(529, "UNAVAILABLE", "Overloaded"), { status: 529, kind: "overloaded", isRetryable: true }, /overloaded \(529\)/],
  ])("maps an HTTP error to a ProviderError (%#)", async (response, expected, message) => {
    server.enqueue(response);
    const error = await failureOf(model().generate(userText("Hi")));
    expect(error).toMatchObject({ providerId: "gemini", providerType: "gemini", model: "gemini-2.5-flash", ...expected });
    expect(error.message).toMatch(message);
  });

  it("treats malformed JSON and a dropped connection as retryable", async () => {
    server.enqueue(malformedJson(), { destroy: true });
    expect(await failureOf(model().generate(userText("Hi")))).toMatchObject({ kind: "malformed-response", isRetryable: true });
    expect(await failureOf(model().generate(userText("Hi")))).toMatchObject({ kind: "connection", isRetryable: true });
  });

  it("turns a timeout into a retryable timeout", async () => {
    server.enqueue({ ...geminiText("late"), delayMilliseconds: 2000 });
    expect(await failureOf(model().generate(userText("Hi", { timeoutMilliseconds: 100 })))).toMatchObject({ kind: "timeout", isRetryable: true });
  });

  it("never shows the key, even when the server echoes it back", async () => {
    server.enqueue(googleErrors.invalidKey(canarySecret));
    const error = await failureOf(model("gemini-2.5-flash", canarySecret).generate(userText("Hi")));
    expect(server.requests[0]?.headers["x-goog-api-key"]).toBe(canarySecret);
    expect(error.message).toContain("(key: [redacted])");
    expect(error.message).not.toContain(canarySecret);
    expect(JSON.stringify(error)).not.toContain(canarySecret);
  });
});
