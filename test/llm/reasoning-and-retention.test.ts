import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GenerateRequest, LanguageModel } from "../../src/llm/language-model.js";
import type { ReasoningLevel } from "../../src/llm/provider-descriptor.js";
import { providerDescriptor } from "../../src/llm/provider-registry.js";
import { anthropicText, anthropicToolUse, startAnthropicServer } from "../support/anthropic-server.js";
import { bedrockText, bedrockToolUse, startBedrockServer } from "../support/bedrock-server.js";
import { geminiText, startGeminiServer } from "../support/gemini-server.js";
import { createServiceAccount, tokenEndpoint } from "../support/google-token-endpoint.js";
import { readStream, userText } from "../support/model-calls.js";
import { openAiCompletion, openAiStream, startOpenAiServer } from "../support/openai-server.js";
import { jsonResponse, type ScriptedServer } from "../support/scripted-server.js";

/**
 * What each adapter puts in the request body for reasoning "off" and "low" and for a provider
 * marked no-training, as its local wire-protocol server receives it. The models are built by
 * the descriptors, as BYOM builds them, so the descriptors' passing of both settings is tested too.
 */

const awsCredentials = JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" });
const schema = { type: "object", properties: { total: { type: "number" } }, required: ["total"] };
const ask = userText("Hi", { maxOutputTokens: 100 });

let server: ScriptedServer;
afterEach(async () => {
  await server.close();
});

type Settings = Record<string, string | undefined>;
function build(type: string, model: string, settings: Settings, secret: string | undefined, reasoning: ReasoningLevel, noTraining = false): Promise<LanguageModel> {
  return providerDescriptor(type as never).create({ providerId: `${type}-test`, model, settings: settings as never, secret, reasoning, noTraining });
}

/** The body the server received for one generate call, with what the adapter reports it sent. */
async function sent(model: LanguageModel, request: GenerateRequest = ask) {
  const before = server.requests.length;
  const result = await model.generate(request);
  return { body: server.requests[before]?.body as Record<string, unknown>, warnings: result.warnings, reasoning: model.reasoningSent?.(request) };
}

describe("OpenAI: reasoning_effort for reasoning models, store: false always", () => {
  beforeEach(async () => {
    server = await startOpenAiServer();
  });
  const openai = (model: string, reasoning: ReasoningLevel) => build("openai", model, { baseUrl: `${server.url}/v1` }, "sk-test-reasoning-0001", reasoning);

  it("sends the lowest effort for off and low for low, with store: false", async () => {
    server.enqueue(...Array.from({ length: 6 }, () => openAiCompletion("OK")));
    const cases = [
      ["gpt-5.1", "off"],
      ["gpt-5-mini", "off"],
      ["o4-mini", "off"],
      ["gpt-5.1", "low"],
      ["gpt-5-mini", "low"],
      ["o4-mini", "low"],
    ] as const;
    const seen = [];
    for (const [model, level] of cases) {
      const { body, reasoning, warnings } = await sent(await openai(model, level));
      seen.push([model, level, body.reasoning_effort, body.store, reasoning?.control, warnings]);
    }
    expect(seen).toEqual([
      ["gpt-5.1", "off", "none", false, "off", []],
      ["gpt-5-mini", "off", "minimal", false, "lowest", []],
      ["o4-mini", "off", "low", false, "lowest", []],
      ["gpt-5.1", "low", "low", false, "low", []],
      ["gpt-5-mini", "low", "low", false, "low", []],
      ["o4-mini", "low", "low", false, "low", []],
    ]);
  });

  it("sends no reasoning_effort to a model without it, and warns for a model that accepts none", async () => {
    server.enqueue(openAiCompletion("OK"), openAiCompletion("OK"), openAiStream(["O", "K"]));
    const plain = await sent(await openai("gpt-4.1-mini", "low"));
    expect(plain.body).not.toHaveProperty("reasoning_effort");
    expect(plain.body.store).toBe(false);
    expect(plain.reasoning).toEqual({ control: "none", detail: "not a reasoning model: no reasoning_effort sent" });
    const pro = await sent(await openai("o3-pro", "low"));
    expect(pro.body).not.toHaveProperty("reasoning_effort");
    expect(pro.warnings).toEqual(['Model "o3-pro" cannot lower its reasoning effort; it reasons at its default effort.']);
    expect(pro.reasoning?.control).toBe("default");
    // A stream is built by the same rule.
    await readStream(await openai("gpt-5-mini", "low"), ask);
    expect(server.requests[2]?.body).toMatchObject({ reasoning_effort: "low", store: false, stream: true });
  });
});

describe("Azure OpenAI: reasoning_effort as OpenAI, store: false only when marked no-training", () => {
  beforeEach(async () => {
    server = await startOpenAiServer();
  });
  const azure = (model: string, reasoning: ReasoningLevel, noTraining: boolean) =>
    build("azure-openai", model, { endpoint: `${server.url}/`, apiVersion: "2025-04-01-preview" }, "azure-key-reasoning-0001", reasoning, noTraining);

  it("sends store: false with no-training, and nothing about retention without it", async () => {
    server.enqueue(openAiCompletion("OK"), openAiCompletion("OK"), openAiCompletion("OK"));
    const marked = await sent(await azure("gpt-5-mini", "low", true));
    expect(marked.body).toMatchObject({ model: "gpt-5-mini", reasoning_effort: "low", store: false });
    const unmarked = await sent(await azure("gpt-5-mini", "off", false));
    expect(unmarked.body).toMatchObject({ reasoning_effort: "minimal" });
    expect(unmarked.body).not.toHaveProperty("store");
    const plain = await sent(await azure("gpt-4o", "low", true));
    expect(plain.body).not.toHaveProperty("reasoning_effort");
    expect(plain.body.store).toBe(false);
    expect(server.requests.map((request) => request.path)).toEqual([
      "/openai/deployments/gpt-5-mini/chat/completions",
      "/openai/deployments/gpt-5-mini/chat/completions",
      "/openai/deployments/gpt-4o/chat/completions",
    ]);
  });
});

describe("custom OpenAI-compatible servers: no reasoning field, store: false only when marked no-training", () => {
  beforeEach(async () => {
    server = await startOpenAiServer();
  });
  const custom = (reasoning: ReasoningLevel, noTraining: boolean) => build("custom", "gpt-5-mini", { baseUrl: `${server.url}/v1` }, undefined, reasoning, noTraining);

  it("never sends reasoning_effort, even for a reasoning model's name", async () => {
    server.enqueue(openAiCompletion("OK"), openAiCompletion("OK"));
    const unmarked = await sent(await custom("low", false));
    expect(unmarked.body).not.toHaveProperty("reasoning_effort");
    expect(unmarked.body).not.toHaveProperty("store");
    expect(unmarked.reasoning).toEqual({ control: "none", detail: "a custom OpenAI-compatible server gets no reasoning_effort" });
    const marked = await sent(await custom("off", true));
    expect(marked.body).not.toHaveProperty("reasoning_effort");
    expect(marked.body.store).toBe(false);
  });
});

describe("Anthropic: thinking disabled, or enabled with the smallest budget", () => {
  beforeEach(async () => {
    server = await startAnthropicServer();
  });
  const anthropic = (model: string, reasoning: ReasoningLevel, noTraining = false) =>
    build("anthropic", model, { baseUrl: server.url }, "sk-ant-reasoning-0123456789", reasoning, noTraining);

  it("disables thinking for off, and enables 1024 tokens for low with max_tokens raised by them", async () => {
    server.enqueue(anthropicText("OK"), anthropicText("OK"));
    const off = await sent(await anthropic("claude-haiku-4-5", "off"));
    expect(off.body).toMatchObject({ max_tokens: 100, thinking: { type: "disabled" } });
    expect(off.reasoning).toEqual({ control: "off", detail: "thinking disabled" });
    const low = await sent(await anthropic("claude-haiku-4-5", "low"));
    expect(low.body).toMatchObject({ max_tokens: 1124, thinking: { type: "enabled", budget_tokens: 1024 } });
    expect(low.reasoning).toEqual({ control: "low", detail: "thinking enabled, budget_tokens 1024" });
    expect(low.warnings).toEqual([]);
  });

  it("answers with the text only when the model thought first (the thinking block is not the answer)", async () => {
    server.enqueue(
      jsonResponse(200, {
        id: "msg_01ThinkingFirst",
        type: "message",
        role: "assistant",
        model: "claude-haiku-4-5-20251001",
        content: [
          { type: "thinking", thinking: "The user greets me; a short greeting back.", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds" },
          { type: "text", text: "Hello!" },
        ],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 40 },
      }),
    );
    const result = await (await anthropic("claude-haiku-4-5", "low")).generate(ask);
    expect(result).toMatchObject({ text: "Hello!", finishReason: "stop", usage: { outputTokens: 40 } });
  });

  it("keeps thinking disabled with a forced tool (structured output, JSON mode), and says so", async () => {
    server.enqueue(anthropicToolUse("invoice", { total: 3 }), anthropicToolUse("json_answer", { answer: [1] }));
    const model = await anthropic("claude-sonnet-4-5", "low");
    const structured = await sent(model, userText("Total?", { maxOutputTokens: 100, structuredOutput: { name: "invoice", jsonSchema: schema } }));
    expect(structured.body).toMatchObject({ max_tokens: 100, thinking: { type: "disabled" }, tool_choice: { type: "tool", name: "invoice" } });
    expect(structured.warnings).toEqual([
      'Reasoning "low" was not used: Claude allows no thinking when a tool is forced, as it is for a structured or JSON answer; thinking was disabled.',
    ]);
    expect(structured.reasoning?.control).toBe("off");
    const json = await sent(model, userText("List?", { jsonMode: true }));
    expect(json.body).toMatchObject({ thinking: { type: "disabled" }, tool_choice: { type: "tool", name: "json_answer" } });
  });

  it("sends adaptive thinking at the low effort to a model that cannot turn thinking off (Opus 4.7, Claude 5)", async () => {
    server.enqueue(anthropicText("OK"), anthropicText("OK"), anthropicToolUse("invoice", { total: 3 }));
    const off = await sent(await anthropic("claude-opus-4-7", "off"));
    expect(off.body).toMatchObject({ max_tokens: 100, thinking: { type: "adaptive" }, output_config: { effort: "low" } });
    expect(off.warnings).toEqual(['Model "claude-opus-4-7" cannot turn thinking off; it thinks adaptively at the low effort.']);
    expect(off.reasoning).toEqual({ control: "lowest", detail: 'thinking adaptive, output_config.effort "low"' });
    const low = await sent(await anthropic("claude-sonnet-5", "low"));
    expect(low.body).toMatchObject({ max_tokens: 100, thinking: { type: "adaptive" }, output_config: { effort: "low" } });
    expect(low.reasoning?.control).toBe("low");
    const forced = await sent(await anthropic("claude-sonnet-5", "low"), userText("Total?", { maxOutputTokens: 100, structuredOutput: { name: "invoice", jsonSchema: schema } }));
    expect(forced.body).not.toHaveProperty("thinking");
    expect(forced.body).not.toHaveProperty("output_config");
    expect(forced.warnings[0]).toMatch(/^Reasoning "low" was not used: Claude allows no thinking when a tool is forced.* thinking was left to the model\.$/);
  });

  it("sends no thinking field to a model without extended thinking, and nothing for no-training", async () => {
    server.enqueue(anthropicText("OK"), anthropicText("OK"), anthropicText("OK"));
    const old = await sent(await anthropic("claude-3-5-haiku-latest", "low"));
    expect(old.body).not.toHaveProperty("thinking");
    expect(old.body.max_tokens).toBe(100);
    expect(old.reasoning?.control).toBe("none");
    const unmarked = await sent(await anthropic("claude-haiku-4-5", "off", false));
    const marked = await sent(await anthropic("claude-haiku-4-5", "off", true));
    expect(marked.body).toEqual(unmarked.body);
  });
});

describe("Gemini API: thinkingConfig", () => {
  beforeEach(async () => {
    server = await startGeminiServer();
  });
  const gemini = (model: string, reasoning: ReasoningLevel, noTraining = false) => build("gemini", model, { baseUrl: server.url }, "AIza-reasoning-test-key", reasoning, noTraining);
  const thinkingOf = (body: Record<string, unknown>) => (body.generationConfig as Record<string, unknown> | undefined)?.thinkingConfig;

  it("turns thinking off or to its lowest, and sends a low budget or level for low", async () => {
    const cases = [
      ["gemini-2.5-flash", "off"],
      ["gemini-2.5-flash", "low"],
      ["gemini-2.5-pro", "off"],
      ["gemini-2.5-pro", "low"],
      ["gemini-3-flash-preview", "off"],
      ["gemini-3-flash-preview", "low"],
      ["gemini-3-pro-preview", "off"],
      ["gemini-3-pro-preview", "low"],
      ["gemini-2.0-flash", "low"],
    ] as const;
    server.enqueue(...cases.map(() => geminiText("OK")));
    const seen = [];
    for (const [model, level] of cases) {
      const { body, reasoning, warnings } = await sent(await gemini(model, level));
      seen.push([model, level, thinkingOf(body), reasoning?.control, warnings.length]);
    }
    expect(seen).toEqual([
      ["gemini-2.5-flash", "off", { thinkingBudget: 0 }, "off", 0],
      ["gemini-2.5-flash", "low", { thinkingBudget: 1024 }, "low", 0],
      ["gemini-2.5-pro", "off", { thinkingBudget: 128 }, "lowest", 1],
      ["gemini-2.5-pro", "low", { thinkingBudget: 1024 }, "low", 0],
      ["gemini-3-flash-preview", "off", { thinkingLevel: "MINIMAL" }, "lowest", 0],
      ["gemini-3-flash-preview", "low", { thinkingLevel: "LOW" }, "low", 0],
      ["gemini-3-pro-preview", "off", { thinkingLevel: "LOW" }, "lowest", 1],
      ["gemini-3-pro-preview", "low", { thinkingLevel: "LOW" }, "low", 0],
      ["gemini-2.0-flash", "low", undefined, "none", 0],
    ]);
  });

  it("has no retention field: a no-training provider sends the same body", async () => {
    server.enqueue(geminiText("OK"), geminiText("OK"));
    const unmarked = await sent(await gemini("gemini-2.5-flash", "low", false));
    const marked = await sent(await gemini("gemini-2.5-flash", "low", true));
    expect(marked.body).toEqual(unmarked.body);
  });
});

describe("Vertex AI: the same thinkingConfig", () => {
  beforeEach(async () => {
    server = await startGeminiServer();
  });

  it("sends the low budget for low and budget 0 for off", async () => {
    const account = createServiceAccount(`${server.url}/token`);
    server.route("/token", tokenEndpoint(account, "ya29.reasoning-token-0001"));
    server.enqueue(geminiText("OK"), geminiText("OK"));
    const vertex = (reasoning: ReasoningLevel) =>
      build("vertex", "gemini-2.5-flash", { projectId: "demo-project", location: "europe-west4", baseUrl: server.url }, JSON.stringify(account.credentials), reasoning, true);
    const low = await sent(await vertex("low"));
    const off = await sent(await vertex("off"));
    const calls = server.requests.filter((request) => request.path.endsWith(":generateContent"));
    expect(calls.map((call) => (call.body as { generationConfig: { thinkingConfig: unknown } }).generationConfig.thinkingConfig)).toEqual([{ thinkingBudget: 1024 }, { thinkingBudget: 0 }]);
    expect([low.reasoning?.control, off.reasoning?.control]).toEqual(["low", "off"]);
  });
});

describe("Bedrock Converse: additionalModelRequestFields for Claude and Nova 2", () => {
  beforeEach(async () => {
    server = await startBedrockServer();
  });
  const bedrock = (model: string, reasoning: ReasoningLevel, noTraining = false) =>
    build("bedrock", model, { region: "us-east-1", endpoint: server.url }, awsCredentials, reasoning, noTraining);

  it("sends Claude's thinking: disabled for off; enabled with 1024 tokens for low, the bound raised and no temperature", async () => {
    server.enqueue(bedrockText("OK"), bedrockText("OK"));
    const request = userText("Hi", { maxOutputTokens: 100, temperature: 0 });
    const off = await sent(await bedrock("us.anthropic.claude-sonnet-4-20250514-v1:0", "off"), request);
    expect(off.body).toMatchObject({ additionalModelRequestFields: { thinking: { type: "disabled" } }, inferenceConfig: { maxTokens: 100, temperature: 0 } });
    const low = await sent(await bedrock("us.anthropic.claude-sonnet-4-20250514-v1:0", "low"), request);
    expect(low.body).toMatchObject({ additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } } });
    expect(low.body.inferenceConfig).toEqual({ maxTokens: 1124 });
    expect(low.warnings).toEqual(["Claude accepts no temperature while it thinks; the temperature 0 was ignored."]);
    expect(low.reasoning).toEqual({ control: "low", detail: "thinking enabled, budget_tokens 1024" });
  });

  it("answers with the text only when the model's answer holds its reasoning", async () => {
    server.enqueue(
      jsonResponse(200, {
        output: { message: { role: "assistant", content: [{ reasoningContent: { reasoningText: { text: "[REDACTED]" } } }, { text: "Hello!" }] } },
        stopReason: "end_turn",
        usage: { inputTokens: 10, outputTokens: 30, totalTokens: 40 },
      }),
    );
    const result = await (await bedrock("us.amazon.nova-2-lite-v1:0", "low")).generate(ask);
    expect(result).toMatchObject({ text: "Hello!", finishReason: "stop" });
  });

  it("sends adaptive thinking with output_config to a Claude model that cannot turn thinking off", async () => {
    server.enqueue(bedrockText("OK"));
    const low = await sent(await bedrock("global.anthropic.claude-opus-4-7", "low"), userText("Hi", { maxOutputTokens: 100, temperature: 0 }));
    expect(low.body.additionalModelRequestFields).toEqual({ thinking: { type: "adaptive" }, output_config: { effort: "low" } });
    expect(low.body.inferenceConfig).toEqual({ maxTokens: 100 });
  });

  it("keeps Claude's thinking disabled with the forced tool of structured output", async () => {
    server.enqueue(bedrockToolUse("invoice", { total: 3 }));
    const structured = await sent(await bedrock("anthropic.claude-3-7-sonnet-20250219-v1:0", "low"), userText("Total?", { structuredOutput: { name: "invoice", jsonSchema: schema } }));
    expect(structured.body).toMatchObject({ additionalModelRequestFields: { thinking: { type: "disabled" } }, toolConfig: { toolChoice: { tool: { name: "invoice" } } } });
    expect(structured.warnings[0]).toMatch(/^Reasoning "low" was not used: Claude allows no thinking when a tool is forced/);
  });

  it("sends Nova 2's reasoningConfig, and nothing to other models or for no-training", async () => {
    server.enqueue(bedrockText("OK"), bedrockText("OK"), bedrockText("OK"), bedrockText("OK"), bedrockText("OK"));
    const off = await sent(await bedrock("us.amazon.nova-2-lite-v1:0", "off"));
    expect(off.body.additionalModelRequestFields).toEqual({ reasoningConfig: { type: "disabled" } });
    const low = await sent(await bedrock("us.amazon.nova-2-lite-v1:0", "low"));
    expect(low.body.additionalModelRequestFields).toEqual({ reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } });
    expect(low.reasoning?.control).toBe("low");
    const nova1 = await sent(await bedrock("amazon.nova-lite-v1:0", "low"));
    expect(nova1.body).not.toHaveProperty("additionalModelRequestFields");
    expect(nova1.reasoning).toEqual({ control: "none", detail: "Bedrock sends a reasoning field only to Claude and Nova 2 models" });
    const claude3 = await sent(await bedrock("anthropic.claude-3-haiku-20240307-v1:0", "low"));
    expect(claude3.body).not.toHaveProperty("additionalModelRequestFields");
    const marked = await sent(await bedrock("amazon.nova-lite-v1:0", "low", true));
    expect(marked.body).toEqual(nova1.body);
  });
});
