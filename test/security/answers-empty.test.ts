import { describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../src/byom/config-schema.js";
import { verifyModel } from "../../src/byom/verify-provider.js";
import { AnthropicLanguageModel } from "../../src/llm/anthropic/anthropic-language-model.js";
import { BedrockLanguageModel } from "../../src/llm/bedrock/bedrock-language-model.js";
import { GoogleLanguageModel } from "../../src/llm/google/google-language-model.js";
import { OpenAiLanguageModel } from "../../src/llm/openai/openai-language-model.js";
import { targetOfModel } from "../../src/llm/router/route-target.js";
import { anthropicStream, anthropicText, anthropicToolUse, startAnthropicServer } from "../support/anthropic-server.js";
import { bedrockStream, bedrockText, startBedrockServer } from "../support/bedrock-server.js";
import { geminiText, startGeminiServer } from "../support/gemini-server.js";
import { failureOf, readStream, userText } from "../support/model-calls.js";
import { openAiCompletion, openAiStream, startOpenAiServer } from "../support/openai-server.js";
import { jsonResponse, type ScriptedServer } from "../support/scripted-server.js";
import { serversClosedAfterEach } from "../support/servers-per-test.js";
import { routed } from "../support/instant-router.js";

/**
 * Finding 8, "answers that are not answers": an HTTP 200 without any text was a success with "".
 * It is now a retryable failure that names the provider and model ("the model answered with no
 * text"), which the router retries and falls back on like any retryable failure.
 */
const started = serversClosedAfterEach();

const openAi = (server: ScriptedServer, providerId = "openai-main", model = "gpt-4.1-mini") =>
  new OpenAiLanguageModel({ providerType: "openai", providerId, model, apiKey: "sk-empty-answers-0123456789", baseURL: `${server.url}/v1` });

/** A completion whose `choices` list is empty, as some OpenAI-compatible servers send. */
const noChoices = () =>
  jsonResponse(200, { id: "chatcmpl-1", object: "chat.completion", created: 1741569952, model: "gpt-4.1-mini", choices: [], usage: { prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 } });

describe("an OpenAI-compatible answer without text", () => {
  it("with no choices is a retryable failure naming the provider and model", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(noChoices());
    const error = await failureOf(openAi(server).generate(userText("Say hello")));
    expect(error.kind).toBe("empty-answer");
    expect(error.isRetryable).toBe(true);
    expect(error.message).toBe('Provider "openai-main" (openai), model "gpt-4.1-mini": the model answered with no text (the answer had no choices).');
  });

  it("with `content: null`, an empty or a blank text is a retryable failure", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(openAiCompletion(null), openAiCompletion(""), openAiCompletion("  \n "));
    const nullContent = await failureOf(openAi(server).generate(userText("a")));
    expect([nullContent.kind, nullContent.isRetryable]).toEqual(["empty-answer", true]);
    expect(nullContent.message).toContain("the model answered with no text (its content was null)");
    expect((await failureOf(openAi(server).generate(userText("b")))).message).toContain("the model answered with no text (its text is empty)");
    expect((await failureOf(openAi(server).generate(userText("c")))).message).toContain("the model answered with no text (its text is only white space)");
  });

  it("with a refusal and no content says so", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(openAiCompletion(null, { refusal: "I can't help with that." }));
    const error = await failureOf(openAi(server).generate(userText("a")));
    expect(error.kind).toBe("empty-answer");
    expect(error.message).toContain("the model answered with no text (it refused: I can't help with that.)");
  });

  it("a stream that ends without text fails the same way", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(openAiStream([]));
    const outcome = await readStream(openAi(server), userText("a"));
    expect(outcome.result).toBeUndefined();
    expect(outcome.error?.kind).toBe("empty-answer");
  });

  it("a structured answer `{}` is still an answer", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(openAiCompletion("{}"));
    const result = await openAi(server).generate(userText("a", { structuredOutput: { name: "nothing", jsonSchema: { type: "object", properties: {} } } }));
    expect(result.json).toEqual({});
  });
});

describe("the router and an answer without text", () => {
  it("retries it, and takes the next attempt's answer", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(noChoices(), openAiCompletion("Hello."));
    const { records, model } = routed([targetOfModel(openAi(server))]);
    const result = await (await model()).generate(userText("Say hello"));
    expect(result.text).toBe("Hello.");
    expect(server.requests).toHaveLength(2);
    expect(records.map((record) => record.outcome)).toEqual(["empty-answer", "ok"]);
  });

  it("falls back to the next model when every attempt is empty, then fails with the message when all are", async () => {
    const [primary, backup] = await Promise.all([started(startOpenAiServer), started(startOpenAiServer)]);
    primary.enqueue(openAiCompletion(null), openAiCompletion(null), openAiCompletion(null));
    backup.enqueue(openAiCompletion("From the backup."));
    const first = routed([targetOfModel(openAi(primary)), targetOfModel(openAi(backup, "openai-backup", "gpt-4.1-nano"), "fallback-chain")]);
    expect((await (await first.model()).generate(userText("a"))).text).toBe("From the backup.");
    expect(primary.requests).toHaveLength(3);
    expect(first.warnings.join("\n")).toContain('the model answered with no text (its content was null). Trying provider "openai-backup"');

    primary.enqueue(noChoices(), noChoices(), noChoices());
    const second = routed([targetOfModel(openAi(primary))]);
    const error = await failureOf(async () => (await second.model()).generate(userText("b")));
    expect(error.message).toBe('Provider "openai-main" (openai), model "gpt-4.1-mini": the model answered with no text (the answer had no choices).');
    expect(second.records.map((record) => record.outcome)).toEqual(["empty-answer", "empty-answer", "empty-answer"]);
  });
});

describe("the other adapters", () => {
  it("Anthropic: an empty content list, or a stream without text, is a retryable failure; a tool's `{}` is an answer", async () => {
    const server = await started(startAnthropicServer);
    const model = new AnthropicLanguageModel({ providerId: "claude", model: "claude-haiku-4-5", apiKey: "sk-ant-empty-0123456789", baseURL: server.url });
    server.enqueue(
      jsonResponse(200, { id: "msg_1", type: "message", role: "assistant", model: "claude-haiku-4-5", content: [], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 9, output_tokens: 0 } }),
      anthropicText("", { stopReason: "refusal" }),
      anthropicStream([]),
      anthropicToolUse("nothing", {}),
    );
    const empty = await failureOf(model.generate(userText("a")));
    expect([empty.kind, empty.isRetryable]).toEqual(["empty-answer", true]);
    expect(empty.message).toBe('Provider "claude" (anthropic), model "claude-haiku-4-5": the model answered with no text (its content list was empty).');
    expect((await failureOf(model.generate(userText("b")))).message).toContain("the model answered with no text (its answer was filtered)");
    expect((await readStream(model, userText("c"))).error?.kind).toBe("empty-answer");
    const structured = await model.generate(userText("d", { structuredOutput: { name: "nothing", jsonSchema: { type: "object", properties: {} } } }));
    expect(structured.text).toBe("{}");
  });

  it("Gemini: no candidates, a candidate without parts, a SAFETY stop without text, a blocked prompt", async () => {
    const server = await started(startGeminiServer);
    const model = new GoogleLanguageModel({ providerType: "gemini", providerId: "gemini", model: "gemini-2.5-flash", apiKey: "AIza-empty-answers-0123456789", baseUrl: server.url });
    server.enqueue(
      jsonResponse(200, { usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 }, modelVersion: "gemini-2.5-flash" }),
      jsonResponse(200, { candidates: [{ content: { role: "model" }, finishReason: "SAFETY", index: 0 }], modelVersion: "gemini-2.5-flash" }),
      geminiText("", { finishReason: "SAFETY" }),
      jsonResponse(200, { promptFeedback: { blockReason: "SAFETY" }, modelVersion: "gemini-2.5-flash" }),
    );
    const failures = [];
    for (const prompt of ["a", "b", "c", "d"]) failures.push(await failureOf(model.generate(userText(prompt))));
    expect(failures.map((failure) => [failure.kind, failure.isRetryable])).toEqual(Array(4).fill(["empty-answer", true]));
    expect(failures.map((failure) => failure.message.replace(/^.*?answered with no text /, ""))).toEqual([
      "(the answer had no candidates).",
      "(its candidate had no parts (finish reason SAFETY)).",
      "(its candidate had no text (finish reason SAFETY)).",
      "(the prompt was blocked (SAFETY)).",
    ]);
    expect(failures[0].message).toMatch(/^Provider "gemini" \(gemini\), model "gemini-2.5-flash": the model answered with no text/);
  });

  it("Bedrock Converse: no content, or a stream without text, is a retryable failure", async () => {
    const server = await started(startBedrockServer);
    const model = new BedrockLanguageModel({
      providerId: "bedrock",
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      region: "us-east-1",
      endpoint: server.url,
      credentials: { accessKeyId: "AKIAEMPTYANSWERS", secretAccessKey: "bedrock-empty-secret-0123456789" },
    });
    server.enqueue(
      jsonResponse(200, { metrics: { latencyMs: 10 }, output: { message: { content: [], role: "assistant" } }, stopReason: "end_turn", usage: { inputTokens: 9, outputTokens: 0, totalTokens: 9 } }),
      bedrockText(""),
      bedrockStream([]),
    );
    const empty = await failureOf(model.generate(userText("a")));
    expect([empty.kind, empty.isRetryable]).toEqual(["empty-answer", true]);
    expect(empty.message).toBe('Provider "bedrock" (bedrock), model "anthropic.claude-3-haiku-20240307-v1:0": the model answered with no text (its content list was empty).');
    expect((await failureOf(model.generate(userText("b")))).kind).toBe("empty-answer");
    expect((await readStream(model, userText("c"))).error?.kind).toBe("empty-answer");
  });
});

describe("`prose byom add`'s test call", () => {
  it("counts an answer without text as reaching the model, with a warning", async () => {
    const server = await started(startOpenAiServer);
    server.enqueue(openAiCompletion(null, { finishReason: "length" }));
    const provider = { id: "local", type: "custom", settings: { baseUrl: `${server.url}/v1` }, models: [{ id: "o4-mini" }] } as unknown as ProviderConfig;
    const verification = await verifyModel(provider, "o4-mini", "sk-verify-0123456789");
    expect(verification.ok).toBe(true);
    expect(verification.warnings).toEqual(["The model answered the test call with no text: it reached the output token limit (16 tokens) before writing any."]);
  });
});
