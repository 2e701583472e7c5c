import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BedrockLanguageModel, type BedrockLanguageModelOptions } from "../../src/llm/bedrock/bedrock-language-model.js";
import { bedrockError, bedrockErrors, bedrockStream, bedrockText, bedrockToolUse, startBedrockServer } from "../support/bedrock-server.js";
import { canarySecret, failureOf, readStream, userText } from "../support/model-calls.js";
import { malformedJson, type ScriptedServer } from "../support/scripted-server.js";

const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const modelId = "anthropic.claude-3-haiku-20240307-v1:0";
let server: ScriptedServer;
beforeEach(async () => {
  server = await startBedrockServer();
});
afterEach(async () => {
  await server.close();
});

function model(overrides: Partial<BedrockLanguageModelOptions> = {}): BedrockLanguageModel {
  return new BedrockLanguageModel({ providerId: "bedrock-us", model: modelId, region: "us-east-1", endpoint: server.url, credentials, ...overrides });
}

const invoiceSchema = { type: "object", properties: { total: { type: "number" } }, required: ["total"] };

describe("Bedrock Converse: requests and results", () => {
  it("signs the request and sends messages, system text, images and settings", async () => {
    server.enqueue(bedrockText("Hello!", { inputTokens: 15, outputTokens: 3 }));
    const result = await model().generate({
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }, { type: "image", mediaType: "image/png", base64: "iVBORw0KGgo=" }] }],
      temperature: 0,
      maxOutputTokens: 30,
    });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(`/model/${encodeURIComponent(modelId)}/converse`);
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=[\w;:-]+, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.body).toEqual({
      messages: [{ role: "user", content: [{ text: "Hi" }, { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } }] }],
      system: [{ text: "Be brief." }],
      inferenceConfig: { temperature: 0, maxTokens: 30 },
    });
    expect(result).toEqual({
      text: "Hello!",
      usage: { inputTokens: 15, outputTokens: 3 },
      finishReason: "stop",
      providerId: "bedrock-us",
      providerType: "bedrock",
      model: modelId,
      warnings: [],
    });
  });

  it("asks for structured output through one forced tool", async () => {
    server.enqueue(bedrockToolUse("invoice", { total: 99.5 }));
    const result = await model().generate(userText("Extract.", { structuredOutput: { name: "invoice", jsonSchema: invoiceSchema } }));
    expect((server.requests[0]?.body as Record<string, unknown>).toolConfig).toEqual({
      tools: [{ toolSpec: { name: "invoice", description: "Give the answer as the input of this tool, following its schema.", inputSchema: { json: invoiceSchema } } }],
      toolChoice: { tool: { name: "invoice" } },
    });
    expect(result).toMatchObject({ json: { total: 99.5 }, text: '{"total":99.5}', finishReason: "stop" });
  });

  it("sends a Bedrock API key as a bearer token instead of signing", async () => {
    server.enqueue(bedrockText("ok"));
    await model({ credentials: undefined, apiKey: "bedrock-api-key-0001" }).generate(userText("Hi"));
    expect(server.requests[0]?.headers.authorization).toBe("Bearer bedrock-api-key-0001");
  });

  it("leaves out an image type Bedrock does not take, with a warning", async () => {
    server.enqueue(bedrockText("ok"));
    const result = await model().generate({ messages: [{ role: "user", content: [{ type: "text", text: "Hi" }, { type: "image", mediaType: "image/tiff", base64: "AAAA" }] }] });
    expect(server.requests[0]?.body).toMatchObject({ messages: [{ role: "user", content: [{ text: "Hi" }] }] });
    expect(result.warnings).toEqual(["Bedrock accepts PNG, JPEG, GIF and WebP images; an image of type image/tiff was left out."]);
  });
});

describe("Bedrock ConverseStream", () => {
  it("decodes the event stream into deltas and the result", async () => {
    server.enqueue(bedrockStream(["Hel", "lo"]));
    const outcome = await readStream(model(), userText("Hi"));
    expect(outcome.error).toBeUndefined();
    expect(server.requests[0]?.path).toBe(`/model/${encodeURIComponent(modelId)}/converse-stream`);
    expect(outcome.deltas).toEqual(["Hel", "lo"]);
    expect(outcome.result).toMatchObject({ text: "Hello", finishReason: "stop", usage: { inputTokens: 10, outputTokens: 2 } });
  });

  it("streams the tool input's JSON for structured output", async () => {
    server.enqueue(bedrockStream(['{"tot', 'al": 5}'], { toolName: "invoice" }));
    const outcome = await readStream(model(), userText("Extract.", { structuredOutput: { name: "invoice", jsonSchema: invoiceSchema } }));
    expect(outcome.result).toMatchObject({ json: { total: 5 }, finishReason: "stop" });
  });

  it("reports a stream cut halfway, or without messageStop, as a retryable stream-cut", async () => {
    server.enqueue(bedrockStream(["a", "b", "c", "d"], { cutAfter: 3 }), bedrockStream(["a"], { omitStop: true }));
    const cut = await readStream(model(), userText("Hi"));
    expect(cut.deltas).toEqual(["a", "b"]);
    expect(cut.error).toMatchObject({ kind: "stream-cut", isRetryable: true });
    expect((await readStream(model(), userText("Hi"))).error).toMatchObject({ kind: "stream-cut", isRetryable: true });
  });

  it("maps an exception inside the stream", async () => {
    server.enqueue(bedrockStream(["a"], { exception: { type: "throttlingException", message: "Too many tokens, please wait before trying again." } }));
    const outcome = await readStream(model(), userText("Hi"));
    expect(outcome.deltas).toEqual(["a"]);
    expect(outcome.error).toMatchObject({ kind: "rate-limit", status: 429, isRetryable: true, providerCode: "ThrottlingException" });
  });
});

describe("Bedrock: errors", () => {
  it.each([
    [bedrockErrors.validation(), { status: 400, kind: "bad-request", isRetryable: false, providerCode: "ValidationException" }, /rejected \(400\): change the part of the call the provider names \(its settings, sources or fields\), or use another model\. The provider said: "The model returned the following errors/],
    [bedrockErrors.invalidKey(), { status: 403, kind: "authentication", isRetryable: false }, /the credentials were rejected \(403\): check the AWS credentials of provider "bedrock-us"/],
    [bedrockErrors.accessDenied(), { status: 403, kind: "permission", isRetryable: false }, /access was denied \(403\)/],
    [bedrockErrors.notFound(), { status: 404, kind: "not-found", isRetryable: false }, /not found \(404\)/],
    [bedrockErrors.modelTimeout(), { status: 408, kind: "timeout", isRetryable: true }, /timed out \(408\)/],
    [bedrockErrors.throttled(4), { status: 429, kind: "rate-limit", isRetryable: true, retryAfterSeconds: 4 }, /rate limited \(429\), retry after 4 s/],
    [bedrockErrors.quotaExceeded(), { status: 400, kind: "quota-exhausted", isRetryable: false }, /no quota left \(400\)/],
    [bedrockErrors.serverError(), { status: 500, kind: "server", isRetryable: true }, /the provider failed \(500\)/],
    [bedrockErrors.unavailable(), { status: 503, kind: "server", isRetryable: true }, /\(503\)/],
  ])("maps an HTTP error to a ProviderError (%#)", async (response, expected, message) => {
    server.enqueue(response);
    const error = await failureOf(model().generate(userText("Hi")));
    expect(error).toMatchObject({ providerId: "bedrock-us", providerType: "bedrock", model: modelId, ...expected });
    expect(error.message).toMatch(message);
  });

  it("treats malformed JSON and a dropped connection as retryable", async () => {
    server.enqueue(malformedJson(), { destroy: true });
    expect(await failureOf(model().generate(userText("Hi")))).toMatchObject({ kind: "malformed-response", isRetryable: true });
    expect(await failureOf(model().generate(userText("Hi")))).toMatchObject({ kind: "connection", isRetryable: true });
  });

  it("turns a timeout into a retryable timeout", async () => {
    server.enqueue({ ...bedrockText("late"), delayMilliseconds: 2000 });
    expect(await failureOf(model().generate(userText("Hi", { timeoutMilliseconds: 100 })))).toMatchObject({ kind: "timeout", isRetryable: true });
  });

  it("never shows the secret key or an API key, even when the server echoes them back", async () => {
    const echoing = bedrockError(403, "UnrecognizedClientException", `Bad signature for secret ${canarySecret}`);
    server.enqueue(echoing, echoing);
    const signed = await failureOf(model({ credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: canarySecret } }).generate(userText("Hi")));
    const bearer = await failureOf(model({ credentials: undefined, apiKey: canarySecret }).generate(userText("Hi")));
    for (const error of [signed, bearer]) {
      expect(error.message).toContain("Bad signature for secret [redacted]");
      expect(JSON.stringify(error)).not.toContain(canarySecret);
    }
  });
});
