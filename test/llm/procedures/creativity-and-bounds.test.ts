import { describe, expect, it } from "vitest";
import { GoogleLanguageModel } from "../../../src/llm/google/google-language-model.js";
import { OpenAiLanguageModel } from "../../../src/llm/openai/openai-language-model.js";
import { anthropicText, anthropicToolUse, startAnthropicServer } from "../../support/anthropic-server.js";
import { bedrockText, startBedrockServer } from "../../support/bedrock-server.js";
import { geminiText, startGeminiServer } from "../../support/gemini-server.js";
import { createServiceAccount, tokenEndpoint } from "../../support/google-token-endpoint.js";
import { openAiCompletion, startOpenAiServer } from "../../support/openai-server.js";
import { closeServersAfterEachTest, keep, openAi } from "../../support/procedure-emulators.js";
import { run } from "../../support/run-script.js";
import { runWithModels } from "../../support/run-with-model.js";

closeServersAfterEachTest();

const summarize = (lines = "") => `summarize "A long text about invoices."${lines}\nsay the summary\n`;

describe("§10.6: the creativity is always sent (0 unless the call says otherwise), with an output bound", () => {
  it("OpenAI: temperature 0 and max_completion_tokens by default; the call's creativity and maximum length when given", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("Short."), openAiCompletion("Shorter."));
    const result = await runWithModels(
      `${summarize()}summarize "Another text."\n    the creativity is 0.4\n    the maximum length is 800 tokens\nsay the summary\n`,
      environment,
    );
    expect(result.error).toBeNull();
    const [first, second] = server.requests.map((request) => request.body as Record<string, unknown>);
    expect(first).toMatchObject({ temperature: 0, max_completion_tokens: 2048 });
    expect(second).toMatchObject({ temperature: 0.4, max_completion_tokens: 800 });
  });

  it("Azure OpenAI and a custom OpenAI-compatible server: temperature and the bound on every request", async () => {
    const azure = keep(await startOpenAiServer());
    azure.enqueue(openAiCompletion("Short."));
    const azureRun = await runWithModels(summarize('\n    the azure model is "gpt-4o-mini"'), { AZURE_OPENAI_API_KEY: "az-key", AZURE_OPENAI_ENDPOINT: `${azure.url}/` });
    expect(azureRun.error).toBeNull();
    expect(azure.requests[0].path).toContain("/openai/deployments/gpt-4o-mini/chat/completions");
    expect(azure.requests[0].body).toMatchObject({ temperature: 0, max_completion_tokens: 2048 });

    // A custom (OpenAI-compatible) provider gets the classic `max_tokens` (see openai-request.ts).
    const compatible = keep(await startOpenAiServer());
    compatible.enqueue(openAiCompletion("Short."));
    const llama = new OpenAiLanguageModel({ providerType: "custom", providerId: "local-llama", model: "llama-3.1-8b", baseURL: `${compatible.url}/v1` });
    const customRun = await run(summarize(), { file: "/scripts/test.prose", models: { resolve: async () => llama } });
    expect(customRun.error).toBeNull();
    expect(compatible.requests[0].body).toMatchObject({ temperature: 0, max_tokens: 2048 });
    expect(compatible.requests[0].body).not.toHaveProperty("max_completion_tokens");
  });

  it("Gemini: generationConfig carries temperature and maxOutputTokens", async () => {
    const server = keep(await startGeminiServer());
    server.enqueue(geminiText("Short."));
    const result = await runWithModels(summarize('\n    the gemini model is "gemini-2.5-flash"'), { GEMINI_API_KEY: "gm-test", GOOGLE_GEMINI_BASE_URL: server.url });
    expect(result.error).toBeNull();
    expect((server.requests[0].body as any).generationConfig).toMatchObject({ temperature: 0, maxOutputTokens: 2048 });
  });

  it("Vertex AI: generationConfig carries temperature and maxOutputTokens", async () => {
    const server = keep(await startGeminiServer());
    const account = createServiceAccount(`${server.url}/token`);
    server.route("/token", tokenEndpoint(account, "ya29.local-token", []));
    server.enqueue(geminiText("Short."));
    const vertex = new GoogleLanguageModel({ providerType: "vertex", providerId: "vertex-eu", model: "gemini-2.5-flash", credentials: account.credentials, project: "demo", location: "europe-west4", baseUrl: server.url });
    const result = await run(summarize(), { file: "/scripts/test.prose", models: { resolve: async () => vertex } });
    expect(result.error).toBeNull();
    const call = server.requests.find((request) => request.path.includes(":generateContent"));
    expect((call?.body as any).generationConfig).toMatchObject({ temperature: 0, maxOutputTokens: 2048 });
  });

  it("Bedrock: inferenceConfig carries temperature and maxTokens", async () => {
    const server = keep(await startBedrockServer());
    server.enqueue(bedrockText("Short."));
    const result = await runWithModels(summarize('\n    the bedrock model is "amazon.nova-lite-v1:0"\n    the creativity is 0.2'), {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: server.url,
    });
    expect(result.error).toBeNull();
    expect((server.requests[0].body as any).inferenceConfig).toEqual({ temperature: 0.2, maxTokens: 2048 });
  });

  it("Anthropic: max_tokens is the procedure's bound; its API version takes no temperature (src/llm/README.md)", async () => {
    const server = keep(await startAnthropicServer());
    server.enqueue(anthropicToolUse("classification", { category: "invoice" }));
    const result = await runWithModels(`classify "a bill"\n    the anthropic model is "claude-haiku-4-5"\n    the categories are "invoice" and "other"\nsay the category\n`, { ANTHROPIC_API_KEY: "sk-ant", ANTHROPIC_BASE_URL: server.url });
    expect(result.output).toEqual(["invoice"]);
    expect(server.requests[0].body).toMatchObject({ max_tokens: 256 });
    expect(server.requests[0].body).not.toHaveProperty("temperature");
  });

  it("each procedure has its own default bound: short for classify, sized for the fields for extract data", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ category: "invoice" })));
    server.enqueue(openAiCompletion(JSON.stringify({ total: 5, notes: "none" })));
    server.enqueue(openAiCompletion(JSON.stringify({ answer: 4 })));
    const result = await runWithModels(
      `classify "a bill"
    the categories are "invoice" and "other"
extract data from "Total 5"
    the first field is "total"
    the first field's format is "number"
    the second field is "notes"
    the second field's format is "text"
ask the model "2 + 2?"
    the response format is "number"
`,
      environment,
    );
    expect(result.error).toBeNull();
    expect(server.requests.map((request) => (request.body as any).max_completion_tokens)).toEqual([256, 256 + 128 + 1024, 256]);
  });
});

describe("§10.6: an answer cut by its bound is asked again once with twice the bound, then becomes a question", () => {
  it("a cut answer is asked again with twice the bound, and the second answer is used", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("The report lists thr", { finishReason: "length" }), openAiCompletion("The report lists three risks."));
    const result = await runWithModels(summarize("\n    the maximum length is 800 tokens"), environment);
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["The report lists three risks."]);
    expect(server.requests.map((request) => (request.body as any).max_completion_tokens)).toEqual([800, 1600]);
    expect(result.usage.modelCalls).toBe(2);
  });

  it("cut twice, it is a value question that says so and how to raise the bound, never a third call", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("Risk one, risk", { finishReason: "length" }), openAiCompletion("Risk one, risk two, risk", { finishReason: "length" }));
    const result = await runWithModels(summarize("\n    the maximum length is 800 tokens"), environment);
    expect(result.status).toBe("waiting");
    expect(server.requests).toHaveLength(2);
    expect(result.questions).toHaveLength(1);
    expect(result.questions[0]).toMatchObject({ kind: "value" });
    expect(result.questions[0].text).toContain("cut at its output bound of 1600 tokens");
    expect(result.questions[0].text).toContain("`the maximum length is 3200 tokens`");
  });

  it("extract data cut twice asks for each field (or takes its default), and warns why", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion('{"total": 1', { finishReason: "length" }), openAiCompletion('{"total": 12', { finishReason: "length" }));
    const result = await runWithModels(
      `extract data from "Total 120, paid"
    the first field is "total"
    the first field's format is "number"
    the second field is "currency"
    the second field's default is "USD"
say the data's currency
`,
      environment,
    );
    expect(result.status).toBe("waiting");
    expect(server.requests).toHaveLength(2);
    expect(result.questions.map((question) => question.text)).toEqual(["What is the data's total?"]);
  });

  it("a reasoning model that spends the whole bound thinking (no text, finish length) is asked again with a larger bound, not retried at the same one", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("", { finishReason: "length" }), openAiCompletion("Fine."));
    const result = await runWithModels(summarize(), environment);
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Fine."]);
    expect(server.requests.map((request) => (request.body as any).max_completion_tokens)).toEqual([2048, 4096]);
  });

  it("a structured answer cut by its bound is asked again with a larger bound before any repair", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion('{"category": "inv', { finishReason: "length" }), openAiCompletion(JSON.stringify({ category: "invoice" })));
    const result = await runWithModels(`classify "a bill"\n    the categories are "invoice" and "other"\nsay the category\n`, environment);
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["invoice"]);
    expect(server.requests.map((request) => (request.body as any).max_completion_tokens)).toEqual([256, 512]);
  });

  it("each provider's own cut reason counts: Anthropic and Bedrock max_tokens, Gemini MAX_TOKENS", async () => {
    const anthropic = keep(await startAnthropicServer());
    anthropic.enqueue(anthropicText("Risk one", { stopReason: "max_tokens" }), anthropicText("Risk one and two."));
    const viaAnthropic = await runWithModels(summarize('\n    the anthropic model is "claude-haiku-4-5"'), { ANTHROPIC_API_KEY: "sk-ant", ANTHROPIC_BASE_URL: anthropic.url });
    expect(viaAnthropic.output).toEqual(["Risk one and two."]);
    expect(anthropic.requests.map((request) => (request.body as any).max_tokens)).toEqual([2048, 4096]);

    const gemini = keep(await startGeminiServer());
    gemini.enqueue(geminiText("Risk one", { finishReason: "MAX_TOKENS" }), geminiText("Risk one and two."));
    const viaGemini = await runWithModels(summarize('\n    the gemini model is "gemini-2.5-flash"'), { GEMINI_API_KEY: "gm", GOOGLE_GEMINI_BASE_URL: gemini.url });
    expect(viaGemini.output).toEqual(["Risk one and two."]);
    expect(gemini.requests.map((request) => (request.body as any).generationConfig.maxOutputTokens)).toEqual([2048, 4096]);

    const bedrock = keep(await startBedrockServer());
    bedrock.enqueue(bedrockText("Risk one", { stopReason: "max_tokens" }), bedrockText("Risk one and two."));
    const viaBedrock = await runWithModels(summarize('\n    the bedrock model is "amazon.nova-lite-v1:0"'), {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url,
    });
    expect(viaBedrock.output).toEqual(["Risk one and two."]);
    expect(bedrock.requests.map((request) => (request.body as any).inferenceConfig.maxTokens)).toEqual([2048, 4096]);
  });

  it("`the maximum length` that is no whole number of tokens is an English error naming the fix", async () => {
    const { environment } = await openAi();
    const result = await runWithModels(summarize('\n    the maximum length is "a lot"'), environment);
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain("`the maximum length` must be a whole number of tokens");
    expect(JSON.stringify(result.error)).toContain("the maximum length is 800 tokens");
  });
});
