/**
 * The Anthropic adapter's messages requests against Anthropic's OpenAPI description, served by
 * Prism. Streaming is not covered: Prism serves no server-sent events.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnthropicLanguageModel } from "../../src/llm/anthropic/anthropic-language-model.js";
import type { ReasoningLevel } from "../../src/llm/provider-descriptor.js";
import { generateThrough, type PrismServer, specAvailability, startPrism } from "./prism.js";
import { invoiceSchema, plainText, repairTurn, structured, withImage } from "./requests.js";

const spec = specAvailability("anthropic-openapi.json");

describe.skipIf(spec.skipReason !== undefined)(`Anthropic messages against anthropic-openapi.json${spec.skipReason ? ` (${spec.skipReason})` : ""}`, () => {
  let prism: PrismServer;
  beforeAll(async () => {
    prism = await startPrism(spec.specFile);
  });
  afterAll(async () => {
    await prism?.stop();
  });

  const claude = (model = "claude-sonnet-4-6", reasoning: ReasoningLevel = "off") =>
    new AnthropicLanguageModel({ providerId: "anthropic", model, apiKey: "sk-ant-contract-test", baseURL: prism.url, fetch: prism.fetch(), reasoning });

  it("rejects a request that breaks the description (the harness can fail)", async () => {
    const response = await prism.fetch()(`${prism.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-contract-test", "anthropic-version": "2023-06-01" },
      // The adapter's image block with the base64 source's `data` left out.
      body: JSON.stringify({
        model: "claude-sonnet-4-6",
        max_tokens: 256,
        messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png" } }] }],
      }),
    });
    expect(response.status).toBe(422);
    expect(prism.lastExchange().requestViolations.length).toBeGreaterThan(0);
  });

  it("accepts plain text with system instructions and max_tokens; the temperature becomes a warning", async () => {
    const { result, exchange } = await generateThrough(prism, claude(), plainText());
    expect(exchange.url).toBe(`${prism.url}/v1/messages`);
    expect(exchange.requestBody).toMatchObject({ model: "claude-sonnet-4-6", max_tokens: 256, system: expect.stringContaining("Be brief."), stream: false });
    // SDK 1.x sends anthropic-version 2026-10-21, which refuses sampling parameters (see src/llm/README.md).
    expect(exchange.requestBody).not.toHaveProperty("temperature");
    expect(result.warnings.join(" ")).toContain("accepts no temperature");
    expect(result).toMatchObject({ providerType: "anthropic", model: "claude-sonnet-4-6" });
  });

  it("refuses a thinking budget below 1024 tokens (the description checks the thinking field)", async () => {
    const response = await prism.fetch()(`${prism.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-contract-test", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-sonnet-4-6", max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 512 }, messages: [{ role: "user", content: "Hi" }] }),
    });
    expect(response.status).toBe(422);
    expect(prism.lastExchange().requestViolations.map((violation) => violation.location.join("."))).toContain("request.body.thinking");
  });

  it("predates adaptive thinking: refuses it and output_config, sent only to the models that need them (src/llm/README.md)", async () => {
    const response = await prism.fetch()(`${prism.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-contract-test", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-opus-4-7", max_tokens: 256, thinking: { type: "adaptive" }, output_config: { effort: "low" }, messages: [{ role: "user", content: "Hi" }] }),
    });
    expect(response.status).toBe(422);
    expect(prism.lastExchange().requestViolations.map((violation) => violation.location.join("."))).toEqual(expect.arrayContaining(["request.body.thinking"]));
  });

  it("accepts thinking disabled (reasoning off) and enabled with the smallest budget below max_tokens (low)", async () => {
    const off = await generateThrough(prism, claude(), plainText());
    expect(off.exchange.requestBody).toMatchObject({ max_tokens: 256, thinking: { type: "disabled" } });
    const low = await generateThrough(prism, claude("claude-sonnet-4-6", "low"), plainText());
    expect(low.exchange.requestBody).toMatchObject({ max_tokens: 256 + 1024, thinking: { type: "enabled", budget_tokens: 1024 } });
    const forced = await generateThrough(prism, claude("claude-sonnet-4-6", "low"), structured());
    expect(forced.exchange.requestBody).toMatchObject({ thinking: { type: "disabled" }, tool_choice: { type: "tool", name: "extract_invoice" } });
  });

  it("accepts structured output: one tool with the schema as input_schema, forced by tool_choice", async () => {
    const { result, exchange } = await generateThrough(prism, claude(), structured());
    expect(exchange.requestBody).toMatchObject({
      tools: [{ name: "extract_invoice", description: expect.any(String), input_schema: invoiceSchema }],
      tool_choice: { type: "tool", name: "extract_invoice" },
    });
    expect(result.providerType).toBe("anthropic");
  });

  it("accepts an image block (a base64 PNG)", async () => {
    const { exchange } = await generateThrough(prism, claude(), withImage());
    expect(exchange.requestBody).toHaveProperty(["messages", 0, "content", 1], {
      type: "image",
      source: { type: "base64", media_type: "image/png", data: expect.stringMatching(/^iVBOR/) },
    });
  });

  it("accepts the repair turn: image, the assistant's first answer, the repair request", async () => {
    const { exchange } = await generateThrough(prism, claude("claude-haiku-4-5"), repairTurn());
    expect(exchange.requestBody).toHaveProperty(["messages", 1, "role"], "assistant");
    expect(exchange.requestBody).toHaveProperty("max_tokens", 4096);
  });
});
