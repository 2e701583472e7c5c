import { describe, expect, it } from "vitest";
import { AnthropicLanguageModel } from "../../src/llm/anthropic/anthropic-language-model.js";
import { BedrockLanguageModel } from "../../src/llm/bedrock/bedrock-language-model.js";
import { EnvironmentModelResolver } from "../../src/llm/environment-resolver.js";
import { GoogleLanguageModel } from "../../src/llm/google/google-language-model.js";
import { OpenAiLanguageModel } from "../../src/llm/openai/openai-language-model.js";
import { targetOfModel } from "../../src/llm/router/route-target.js";
import { startAnthropicServer } from "../support/anthropic-server.js";
import { startBedrockServer } from "../support/bedrock-server.js";
import { startGeminiServer } from "../support/gemini-server.js";
import { failureOf, readStream, userText } from "../support/model-calls.js";
import { openAiCompletion, startOpenAiServer } from "../support/openai-server.js";
import { jsonResponse, type ScriptedResponse, type ScriptedServer } from "../support/scripted-server.js";
import { serversClosedAfterEach } from "../support/servers-per-test.js";
import { routed } from "../support/instant-router.js";
import { run } from "../support/run-script.js";

/**
 * Finding 8: a 200 whose body is not the API (a proxy's HTML page, a wrong base URL) gave
 * "TypeError: Cannot read properties of undefined (reading '0')". It is now a named failure that
 * says what came back and to check the base URL. A 200 page would come back on every attempt,
 * so it is not retried (the fallbacks are still tried).
 */
const started = serversClosedAfterEach();

const page = "<!DOCTYPE html>\n<html><head><title>Sign in to the corporate proxy</title></head><body>…</body></html>";
const htmlPage = (status = 200, contentType = "text/html; charset=utf-8"): ScriptedResponse => ({ status, headers: { "content-type": contentType }, body: page });
const named = "the provider answered with something that is not an API response (an HTML page, starting '<!DOCTYPE html> <html><head><title>Sign…'); check the base URL.";

const custom = (server: ScriptedServer, providerId = "local", model = "llama-3.1-8b") =>
  new OpenAiLanguageModel({ providerType: "custom", providerId, model, baseURL: `${server.url}/v1` });

describe("an OpenAI-compatible 200 that is not an API response", () => {
  it("an HTML page is a named failure, not a TypeError, and is not retried", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(htmlPage());
    const error = await failureOf(custom(server).generate(userText("Say hello")));
    expect(error.kind).toBe("not-an-api-response");
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe(`Provider "local" (custom), model "llama-3.1-8b": ${named}`);
  });

  it("an HTML page sent as application/json, or to a streaming call, is named the same way", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(htmlPage(200, "application/json"), htmlPage());
    expect((await failureOf(custom(server).generate(userText("a")))).message).toContain(named);
    const streamed = await readStream(custom(server), userText("b"));
    expect(streamed.error?.message).toContain(named);
  });

  it("plain text, another API's JSON, and an error object sent with a 200 are each named", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(
      { status: 200, headers: { "content-type": "text/plain" }, body: "OK" },
      jsonResponse(200, { status: "ok", version: "2.4.1" }),
      jsonResponse(200, { error: { message: "upstream model timed out", code: 504 } }),
    );
    const text = await failureOf(custom(server).generate(userText("a")));
    expect(text.message).toContain("not an API response (text that is not JSON, starting 'OK'); check the base URL.");
    const otherApi = await failureOf(custom(server).generate(userText("b")));
    expect(otherApi.message).toContain('not an API response (a JSON object without "choices"); check the base URL.');
    const errorBody = await failureOf(custom(server).generate(userText("c")));
    expect([errorBody.kind, errorBody.isRetryable]).toEqual(["server", true]);
    expect(errorBody.message).toContain("the provider reported an error with status 200: upstream model timed out");
  });

  it("a gateway's 502 page stays a retryable server failure", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(htmlPage(502));
    const error = await failureOf(custom(server).generate(userText("a")));
    expect([error.kind, error.status, error.isRetryable]).toEqual(["server", 502, true]);
  });

  it("the router does not retry a 200 page, and moves on to the fallback", async () => {
    const [primary, backup] = await Promise.all([started(startOpenAiServer), started(startOpenAiServer)]);
    primary.enqueue(htmlPage(), htmlPage(), htmlPage());
    backup.enqueue(openAiCompletion("From the backup."));
    const { router, records, warnings } = routed([targetOfModel(custom(primary)), targetOfModel(custom(backup, "backup", "llama-3.1-70b"), "fallback-chain")]);
    const result = await (await router.resolve({})).generate(userText("a"));
    expect(result.text).toBe("From the backup.");
    expect(primary.requests).toHaveLength(1);
    expect(records.map((record) => record.outcome)).toEqual(["not-an-api-response", "ok"]);
    expect(warnings[0]).toContain(named);
  });

  it("a script's call fails with the named message at the call", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(htmlPage());
    const result = await run('ask the model "Say hello"\nsay the answer\n', {
      file: "/scripts/test.prose",
      models: new EnvironmentModelResolver({ OPENAI_API_KEY: "sk-html-0123456789", OPENAI_BASE_URL: `${server.url}/v1` }),
    });
    expect(result.status).toBe("failed");
    expect(result.error?.message).toBe(`Provider "openai" (openai), model "gpt-4.1-mini": ${named}`);
    expect(result.error?.at).toBe("/scripts/test.prose:1:1");
  });
});

describe("the other adapters and a 200 HTML page", () => {
  it("Anthropic, Gemini and Bedrock name it the same way", async () => {
    const [anthropic, gemini, bedrock] = await Promise.all([started(startAnthropicServer), started(startGeminiServer), started(startBedrockServer)]);
    for (const server of [anthropic, gemini, bedrock]) server.enqueue(htmlPage());
    const models = [
      new AnthropicLanguageModel({ providerId: "claude", model: "claude-haiku-4-5", apiKey: "sk-ant-html-0123456789", baseURL: anthropic.url }),
      new GoogleLanguageModel({ providerType: "gemini", providerId: "gemini", model: "gemini-2.5-flash", apiKey: "AIza-html-0123456789", baseUrl: gemini.url }),
      new BedrockLanguageModel({
        providerId: "bedrock",
        model: "anthropic.claude-3-haiku-20240307-v1:0",
        region: "us-east-1",
        endpoint: bedrock.url,
        credentials: { accessKeyId: "AKIAHTMLPAGE", secretAccessKey: "bedrock-html-secret-0123456789" },
      }),
    ];
    for (const model of models) {
      const error = await failureOf(model.generate(userText("a")));
      expect(error.kind).toBe("not-an-api-response");
      expect(error.message).toBe(`Provider "${model.providerId}" (${model.providerType}), model "${model.model}": ${named}`);
    }
  });
});
