import { describe, expect, it } from "vitest";
import { AnthropicLanguageModel } from "../../src/llm/anthropic/anthropic-language-model.js";
import { BedrockLanguageModel } from "../../src/llm/bedrock/bedrock-language-model.js";
import { EnvironmentModelResolver } from "../../src/llm/environment-resolver.js";
import { GoogleLanguageModel } from "../../src/llm/google/google-language-model.js";
import { OpenAiLanguageModel } from "../../src/llm/openai/openai-language-model.js";
import { targetOfModel } from "../../src/llm/router/route-target.js";
import { anthropicStream, startAnthropicServer } from "../support/anthropic-server.js";
import { bedrockStream, startBedrockServer } from "../support/bedrock-server.js";
import { geminiStream, startGeminiServer } from "../support/gemini-server.js";
import { failureOf, readStream, userText } from "../support/model-calls.js";
import { run } from "../support/run-script.js";
import { type FloodAnswer, type FloodServer, hugeOpenAiCompletion, hugeOpenAiStream, longOpenAiStream, startFloodServer } from "../support/answers-flood-server.js";
import { routed } from "../support/instant-router.js";
import { serversClosedAfterEach } from "../support/servers-per-test.js";

/**
 * Finding 8: a 200 MB answer crashed V8 ("heap out of memory"). Answers are now bounded (10 MB
 * by default, PROSE_MAX_ANSWER_BYTES): the bytes are counted as they arrive and the connection is
 * closed as soon as they pass the bound, before anything parses them. The servers here write a
 * megabyte at a time as fast as the client reads, and record whether the client hung up first.
 */
const megabyte = 1_000_000;
const started = serversClosedAfterEach();
const flood = (answer: FloodAnswer, protocol: "http1" | "http2" = "http1"): Promise<FloodServer> => started(() => startFloodServer(answer, { protocol }));

const openAi = (server: FloodServer, extra: { maxAnswerBytes?: number } = {}) =>
  new OpenAiLanguageModel({ providerType: "openai", providerId: "openai-main", model: "gpt-4.1-mini", apiKey: "sk-huge-answers-0123456789", baseURL: `${server.url}/v1`, ...extra });

const refusal = "the answer is too large: it passed the bound of 10 MB";

describe("an OpenAI-compatible answer over the bound", () => {
  it("of 11 MB is refused with an English message, not retried", async () => {
    const server = await flood(hugeOpenAiCompletion(11 * megabyte));
    const error = await failureOf(openAi(server).generate(userText("Write a lot")));
    expect(error.kind).toBe("answer-too-large");
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe(
      `Provider "openai-main" (openai), model "gpt-4.1-mini": ${refusal} and was refused before it was read or kept; if answers this large are expected, raise PROSE_MAX_ANSWER_BYTES (at most 25 MB).`,
    );
  });

  it("announced by Content-Length is refused before its body is read", async () => {
    const server = await flood(hugeOpenAiCompletion(11 * megabyte, true));
    const error = await failureOf(openAi(server).generate(userText("Write a lot")));
    expect(error.message).toContain(`${refusal} (it announced 11,000,`);
    const record = await server.ended();
    expect(record.closedEarly).toBe(true);
  });

  it("of 200 MB, written as it is read, ends with the connection closed early, not buffered", async () => {
    const server = await flood(hugeOpenAiCompletion(200 * megabyte));
    const error = await failureOf(openAi(server).generate(userText("Write a lot")));
    expect(error.kind).toBe("answer-too-large");
    const record = await server.ended();
    expect(record.finished).toBe(false);
    expect(record.closedEarly).toBe(true);
    // The bound plus what the socket buffers held when the client hung up: far from 200 MB.
    expect(record.bytesWritten).toBeLessThan(60 * megabyte);
  });

  it("streamed in ordinary pieces is refused the same way once the pieces pass the bound", async () => {
    const server = await flood(longOpenAiStream(200 * megabyte));
    const outcome = await readStream(openAi(server), userText("Write a lot"));
    expect(outcome.result).toBeUndefined();
    expect(outcome.error?.kind).toBe("answer-too-large");
    expect(outcome.error?.message).toContain(refusal);
    expect(outcome.deltas.join("").length).toBeLessThan(10 * megabyte);
    const record = await server.ended();
    expect(record.closedEarly).toBe(true);
  });

  it("streamed as one endless line is refused once that line passes 2 MB", async () => {
    const server = await flood(hugeOpenAiStream(200 * megabyte));
    const outcome = await readStream(openAi(server), userText("Write a lot"));
    expect(outcome.error?.kind).toBe("answer-too-large");
    expect(outcome.error?.message).toContain("the answer is too large: one line of its event stream passed 2 MB (no model streams pieces that large)");
    const record = await server.ended();
    expect(record.closedEarly).toBe(true);
  });

  it("is not retried by the router", async () => {
    const server = await flood(hugeOpenAiCompletion(11 * megabyte));
    const { router, records } = routed([targetOfModel(openAi(server))]);
    const error = await failureOf(async () => (await router.resolve({})).generate(userText("a")));
    expect(error.kind).toBe("answer-too-large");
    expect(records.map((record) => record.outcome)).toEqual(["answer-too-large"]);
  });

  it("an answer within the bound still arrives whole", async () => {
    const server = await flood(hugeOpenAiCompletion(3 * megabyte));
    const result = await openAi(server).generate(userText("Write a lot"));
    expect(result.text).toHaveLength(3 * megabyte);
  });
});

describe("PROSE_MAX_ANSWER_BYTES", () => {
  it("sets the bound for a run's models", async () => {
    const server = await flood(hugeOpenAiCompletion(2 * megabyte));
    const environment = { OPENAI_API_KEY: "sk-huge-answers-0123456789", OPENAI_BASE_URL: `${server.url}/v1`, PROSE_MAX_ANSWER_BYTES: "1MB" };
    const result = await run('ask the model "Write a lot"\nsay the answer\n', { file: "/scripts/test.prose", models: new EnvironmentModelResolver(environment) });
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain("the answer is too large: it passed the bound of 1 MB and was refused before it was read or kept");
    expect(result.error?.at).toBe("/scripts/test.prose:1:1");
  });

  it("says what is wrong with a value it cannot use", async () => {
    const environment = { OPENAI_API_KEY: "sk-huge-answers-0123456789", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", PROSE_MAX_ANSWER_BYTES: "lots" };
    const result = await run('ask the model "Write a lot"\n', { file: "/scripts/test.prose", models: new EnvironmentModelResolver(environment) });
    expect(result.error?.message).toBe(
      'PROSE_MAX_ANSWER_BYTES must be a size from 1 KB to 25 MB (bytes, or with KB or MB, such as 20MB), but it is "lots". Set it to such a size, or unset it for the default of 10 MB.',
    );
  });
});

describe("the other adapters and an answer over the bound", () => {
  it("Anthropic and Gemini refuse 50 MB, closing the connection early", async () => {
    const anthropic = await flood({
      prefix: '{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text","text":"',
      fillBytes: 50 * megabyte,
      suffix: '"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":9}}',
      contentType: "application/json",
    });
    const gemini = await flood({
      prefix: '{"candidates":[{"content":{"parts":[{"text":"',
      fillBytes: 50 * megabyte,
      suffix: '"}],"role":"model"},"finishReason":"STOP","index":0}]}',
      contentType: "application/json",
    });
    const claude = new AnthropicLanguageModel({ providerId: "claude", model: "claude-haiku-4-5", apiKey: "sk-ant-huge-0123456789", baseURL: anthropic.url });
    const google = new GoogleLanguageModel({ providerType: "gemini", providerId: "gemini", model: "gemini-2.5-flash", apiKey: "AIza-huge-0123456789", baseUrl: gemini.url });
    for (const model of [claude, google]) {
      const error = await failureOf(model.generate(userText("Write a lot")));
      expect(error.kind).toBe("answer-too-large");
      expect(error.message).toContain(refusal);
    }
    expect((await anthropic.ended()).closedEarly).toBe(true);
    expect((await gemini.ended()).closedEarly).toBe(true);
  });

  it("Bedrock (the AWS SDK's own HTTP/2 handler) refuses 200 MB and resets the stream early", async () => {
    const server = await flood(
      {
        prefix: '{"metrics":{"latencyMs":10},"output":{"message":{"content":[{"text":"',
        fillBytes: 200 * megabyte,
        suffix: '"}],"role":"assistant"}},"stopReason":"end_turn","usage":{"inputTokens":9,"outputTokens":9,"totalTokens":18}}',
        contentType: "application/json",
      },
      "http2",
    );
    const model = new BedrockLanguageModel({
      providerId: "bedrock",
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      region: "us-east-1",
      endpoint: server.url,
      credentials: { accessKeyId: "AKIAHUGEANSWERS", secretAccessKey: "bedrock-huge-secret-0123456789" },
    });
    const error = await failureOf(model.generate(userText("Write a lot")));
    expect(error.kind).toBe("answer-too-large");
    expect(error.message).toBe(
      `Provider "bedrock" (bedrock), model "anthropic.claude-3-haiku-20240307-v1:0": ${refusal} and was refused before it was read or kept; if answers this large are expected, raise PROSE_MAX_ANSWER_BYTES (at most 25 MB).`,
    );
    const record = await server.ended();
    expect(record.closedEarly).toBe(true);
    expect(record.bytesWritten).toBeLessThan(60 * megabyte);
  });
});

describe("streams of the other adapters", () => {
  const scripted = serversClosedAfterEach();

  it("Anthropic, Gemini and Bedrock streams are bounded the same way", async () => {
    const [anthropic, gemini, bedrock] = await Promise.all([scripted(startAnthropicServer), scripted(startGeminiServer), scripted(() => startBedrockServer())]);
    const pieces = Array.from({ length: 40 }, (_, index) => `piece ${index} `.padEnd(100, "."));
    anthropic.enqueue(anthropicStream(pieces));
    gemini.enqueue(geminiStream(pieces));
    bedrock.enqueue(bedrockStream(pieces));
    const maxAnswerBytes = 2_000;
    const models = [
      new AnthropicLanguageModel({ providerId: "claude", model: "claude-haiku-4-5", apiKey: "sk-ant-stream-0123456789", baseURL: anthropic.url, maxAnswerBytes }),
      new GoogleLanguageModel({ providerType: "gemini", providerId: "gemini", model: "gemini-2.5-flash", apiKey: "AIza-stream-0123456789", baseUrl: gemini.url, maxAnswerBytes }),
      new BedrockLanguageModel({
        providerId: "bedrock",
        model: "anthropic.claude-3-haiku-20240307-v1:0",
        region: "us-east-1",
        endpoint: bedrock.url,
        credentials: { accessKeyId: "AKIASTREAMBOUND", secretAccessKey: "bedrock-stream-secret-0123456789" },
        maxAnswerBytes,
      }),
    ];
    for (const model of models) {
      const outcome = await readStream(model, userText("Write a lot"));
      expect(outcome.result).toBeUndefined();
      expect(outcome.error?.kind).toBe("answer-too-large");
      expect(outcome.error?.message).toContain("the answer is too large: it passed the bound of 2 KB");
    }
  });
});
