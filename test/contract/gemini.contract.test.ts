/**
 * The Google adapter's Gemini API requests (generateContent) against Gemini's OpenAPI
 * description, served by Prism. Prism's static mock fills every field of a part, `thought: true`
 * among them, so every part would be a thought and the answer would have no text (which the
 * adapter rightly refuses as an empty answer): the harness marks the mock's parts as answer parts
 * (`thought: false`) before the adapter reads them, and the results are checked for their
 * structure. Streaming (`alt=sse`) is not covered, and Vertex AI has its own paths and description.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GoogleLanguageModel } from "../../src/llm/google/google-language-model.js";
import type { ReasoningLevel } from "../../src/llm/provider-descriptor.js";
import type { GenerateResult } from "../../src/llm/language-model.js";
import { generateThrough, type PrismServer, specAvailability, startPrism } from "./prism.js";
import { invoiceSchema, plainText, repairTurn, structured, withImage } from "./requests.js";

const spec = specAvailability("gemini-openapi.json");

/** The mock's candidates with their parts as answer parts, not thoughts. */
function asAnswerParts(body: unknown): unknown {
  const candidates = (body as { candidates?: Array<{ content?: { parts?: Array<Record<string, unknown>> } }> }).candidates ?? [];
  for (const candidate of candidates) for (const part of candidate.content?.parts ?? []) part.thought = false;
  return body;
}

function expectWellFormed(result: GenerateResult, model: string): void {
  expect(result).toMatchObject({ providerType: "gemini", providerId: "gemini", model, text: expect.any(String), finishReason: expect.any(String) });
  expect(result.usage).toEqual({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
}

describe.skipIf(spec.skipReason !== undefined)(`Gemini generateContent against gemini-openapi.json${spec.skipReason ? ` (${spec.skipReason})` : ""}`, () => {
  let prism: PrismServer;
  beforeAll(async () => {
    prism = await startPrism(spec.specFile);
  });
  afterAll(async () => {
    await prism?.stop();
  });

  const gemini = (model: string, reasoning: ReasoningLevel = "off") =>
    new GoogleLanguageModel({ providerType: "gemini", providerId: "gemini", model, apiKey: "AIza-contract-test", baseUrl: prism.url, fetch: prism.fetch(undefined, asAnswerParts), reasoning });

  it("rejects a request that breaks the description (the harness can fail)", async () => {
    const response = await prism.fetch()(`${prism.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": "AIza-contract-test" },
      // The adapter's request with a thinking level the description does not know.
      body: JSON.stringify({
        contents: [{ role: "user", parts: [{ text: "Hi" }] }],
        generationConfig: { temperature: 0, thinkingConfig: { thinkingLevel: "LOWEST" } },
      }),
    });
    expect(response.status).toBe(422);
    expect(prism.lastExchange().requestViolations.map((violation) => violation.location.join("."))).toContain(
      "request.body.generationConfig.thinkingConfig.thinkingLevel",
    );
  });

  it("accepts plain text with the system instruction, temperature, maxOutputTokens and thinking off", async () => {
    const { result, exchange } = await generateThrough(prism, gemini("gemini-2.5-flash"), plainText());
    expect(new URL(exchange.url).pathname).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(exchange.requestBody).toMatchObject({
      systemInstruction: { parts: [{ text: expect.stringContaining("Be brief.") }] },
      generationConfig: { temperature: 0.2, maxOutputTokens: 256, thinkingConfig: { thinkingBudget: 0 } },
    });
    expectWellFormed(result, "gemini-2.5-flash");
  });

  it("accepts the lowest thinking of each family (budget 128, MINIMAL, LOW)", async () => {
    for (const [model, thinkingConfig] of [
      ["gemini-2.5-pro", { thinkingBudget: 128 }],
      ["gemini-3-flash-preview", { thinkingLevel: "MINIMAL" }],
      ["gemini-3-pro-preview", { thinkingLevel: "LOW" }],
    ] as const) {
      const { result, exchange } = await generateThrough(prism, gemini(model), plainText());
      expect(exchange.requestBody).toMatchObject({ generationConfig: { thinkingConfig } });
      expectWellFormed(result, model);
    }
  });

  it("accepts reasoning low: a budget of 1024 tokens (2.5), the LOW level (3)", async () => {
    for (const [model, thinkingConfig] of [
      ["gemini-2.5-flash", { thinkingBudget: 1024 }],
      ["gemini-2.5-pro", { thinkingBudget: 1024 }],
      ["gemini-3-flash-preview", { thinkingLevel: "LOW" }],
    ] as const) {
      const { result, exchange } = await generateThrough(prism, gemini(model, "low"), structured());
      expect(exchange.requestBody).toMatchObject({ generationConfig: { thinkingConfig } });
      expect(result.model).toBe(model);
    }
  });

  it("accepts structured output: responseMimeType application/json with the schema as responseJsonSchema", async () => {
    const { result, exchange } = await generateThrough(prism, gemini("gemini-2.5-flash"), structured());
    expect(exchange.requestBody).toMatchObject({
      generationConfig: { responseMimeType: "application/json", responseJsonSchema: invoiceSchema, temperature: 0, maxOutputTokens: 1024 },
    });
    expectWellFormed(result, "gemini-2.5-flash");
  });

  it("accepts an image part (inlineData with a base64 PNG)", async () => {
    const { result, exchange } = await generateThrough(prism, gemini("gemini-2.5-flash"), withImage());
    expect(exchange.requestBody).toHaveProperty(["contents", 0, "parts", 1], { inlineData: { mimeType: "image/png", data: expect.stringMatching(/^iVBOR/) } });
    expectWellFormed(result, "gemini-2.5-flash");
  });

  it("accepts the repair turn: image, the model's first answer, the repair request", async () => {
    const { result, exchange } = await generateThrough(prism, gemini("gemini-2.5-flash-lite"), repairTurn());
    expect(exchange.requestBody).toHaveProperty(["contents", 1, "role"], "model");
    expectWellFormed(result, "gemini-2.5-flash-lite");
  });
});
