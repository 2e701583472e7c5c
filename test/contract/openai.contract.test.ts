/**
 * The OpenAI adapter's chat-completions requests (OpenAI, Azure OpenAI, OpenAI-compatible)
 * against OpenAI's own OpenAPI description, served by Prism. Streaming is not covered: Prism
 * serves no server-sent events.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAiLanguageModel } from "../../src/llm/openai/openai-language-model.js";
import type { ReasoningLevel } from "../../src/llm/provider-descriptor.js";
import { generateThrough, type PrismServer, specAvailability, startPrism } from "./prism.js";
import { plainText, repairTurn, structured, withImage } from "./requests.js";

const spec = specAvailability("openai-openapi.json");

describe.skipIf(spec.skipReason !== undefined)(`OpenAI chat completions against openai-openapi.json${spec.skipReason ? ` (${spec.skipReason})` : ""}`, () => {
  let prism: PrismServer;
  beforeAll(async () => {
    prism = await startPrism(spec.specFile);
  });
  afterAll(async () => {
    await prism?.stop();
  });

  // The description's paths have no /v1: its server URL carries it.
  const openAi = (model: string, reasoning: ReasoningLevel = "off") =>
    new OpenAiLanguageModel({ providerType: "openai", providerId: "openai", model, apiKey: "sk-contract-test", baseURL: prism.url, fetch: prism.fetch(), reasoning });

  it("rejects a request that breaks the description (the harness can fail)", async () => {
    const response = await prism.fetch()(`${prism.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-contract-test" },
      // The adapter's structured request with the json_schema's required `name` left out.
      body: JSON.stringify({
        model: "gpt-4o",
        messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
        store: false,
        response_format: { type: "json_schema", json_schema: { schema: { type: "object" }, strict: true } },
      }),
    });
    expect(response.status).toBe(422);
    expect(prism.lastExchange().requestViolations.map((violation) => violation.location.join("."))).toContain("request.body.response_format");
  });

  it("accepts plain text with system instructions, temperature and max_completion_tokens", async () => {
    const { result, exchange } = await generateThrough(prism, openAi("gpt-4o"), plainText());
    expect(exchange.url).toBe(`${prism.url}/chat/completions`);
    expect(exchange.requestBody).toMatchObject({ model: "gpt-4o", temperature: 0.2, max_completion_tokens: 256, store: false, stream: false });
    expect(exchange.requestBody).toHaveProperty(["messages", 0, "role"], "system");
    expect(result).toMatchObject({ providerType: "openai", model: "gpt-4o" });
    expect(typeof result.text).toBe("string");
  });

  it("accepts the lowest reasoning effort of each reasoning family (none, minimal, low)", async () => {
    for (const [model, effort] of [
      ["gpt-5.1", "none"],
      ["gpt-5-mini", "minimal"],
      ["o4-mini", "low"],
    ] as const) {
      const { exchange } = await generateThrough(prism, openAi(model), plainText());
      expect(exchange.requestBody).toMatchObject({ model, reasoning_effort: effort });
      expect(exchange.requestBody).not.toHaveProperty("temperature");
    }
  });

  it("accepts reasoning low (reasoning_effort low) with store: false, and no effort for a model without reasoning", async () => {
    for (const model of ["gpt-5.1", "gpt-5-mini", "o4-mini"]) {
      const { exchange } = await generateThrough(prism, openAi(model, "low"), structured());
      expect(exchange.requestBody).toMatchObject({ model, reasoning_effort: "low", store: false });
    }
    const { exchange } = await generateThrough(prism, openAi("gpt-4.1-mini", "low"), plainText());
    expect(exchange.requestBody).not.toHaveProperty("reasoning_effort");
  });

  it("accepts structured output: a strict json_schema with every field format", async () => {
    const { result, exchange } = await generateThrough(prism, openAi("gpt-4o-mini"), structured());
    expect(exchange.requestBody).toMatchObject({
      temperature: 0,
      response_format: { type: "json_schema", json_schema: { name: "extract_invoice", strict: true, schema: { type: "object", additionalProperties: false } } },
    });
    expect(result.providerType).toBe("openai");
  });

  it("accepts an image content part (a base64 PNG as a data URL)", async () => {
    const { exchange } = await generateThrough(prism, openAi("gpt-4o"), withImage());
    expect(exchange.requestBody).toHaveProperty(["messages", 1, "content", 1], {
      type: "image_url",
      image_url: { url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) },
    });
  });

  it("accepts the repair turn: image, the assistant's first answer, the repair request", async () => {
    const { exchange } = await generateThrough(prism, openAi("gpt-4o"), repairTurn());
    expect(exchange.requestBody).toHaveProperty(["messages", 2, "role"], "assistant");
    expect(exchange.requestBody).toHaveProperty(["messages", 3, "role"], "user");
  });

  describe("Azure OpenAI", () => {
    // Azure's path (/openai/deployments/{deployment}/chat/completions?api-version=…) and its api-key
    // header are Azure's own and not in OpenAI's description: they are checked here, then mapped
    // onto the description's path and bearer token so that Prism validates the body, which Azure
    // shares with OpenAI.
    const seenPaths: string[] = [];
    const azure = (model: string, options: { reasoning?: ReasoningLevel; noTraining?: boolean } = {}) =>
      new OpenAiLanguageModel({
        providerType: "azure-openai",
        providerId: "azure",
        model,
        ...options,
        apiKey: "azure-contract-key",
        endpoint: `${prism.url}/`,
        apiVersion: "2024-10-21",
        fetch: prism.fetch((url, headers) => {
          seenPaths.push(`${url.pathname}?${url.searchParams.toString()}`);
          url.pathname = url.pathname.replace(/^\/openai\/deployments\/[^/]+\/chat\/completions$/, "/chat/completions");
          url.searchParams.delete("api-version");
          headers.set("authorization", `Bearer ${headers.get("api-key") ?? ""}`);
          headers.delete("api-key");
        }),
      });

    it("sends a body the description accepts, structured output included", async () => {
      for (const request of [plainText(), structured(), withImage()]) {
        await generateThrough(prism, azure("gpt-4o"), request);
      }
      await generateThrough(prism, azure("gpt-5-mini"), structured());
      expect(seenPaths).toContain("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
      expect(prism.lastExchange().requestBody).toMatchObject({ model: "gpt-5-mini", reasoning_effort: "minimal" });
      expect(prism.lastExchange().requestBody).not.toHaveProperty("store");
    });

    it("sends store: false for a provider marked no-training, with reasoning low, in a body the description accepts", async () => {
      const { exchange } = await generateThrough(prism, azure("gpt-5-mini", { reasoning: "low", noTraining: true }), structured());
      expect(exchange.requestBody).toMatchObject({ model: "gpt-5-mini", reasoning_effort: "low", store: false });
    });
  });

  describe("OpenAI-compatible servers (custom)", () => {
    // The same chat-completions path. The description requires a bearer token, so the keyless
    // variant (no Authorization header) would get 401 from Prism: that is a custom server's
    // choice, not something OpenAI's description can judge.
    const custom = (model: string, noTraining = false) =>
      new OpenAiLanguageModel({ providerType: "custom", providerId: "custom-vllm", model, apiKey: "local-key", baseURL: prism.url, fetch: prism.fetch(), reasoning: "low", noTraining });

    it("sends the classic parameters (max_tokens, no store) in a body the description accepts", async () => {
      const { exchange } = await generateThrough(prism, custom("llama-3.1-8b-instruct"), plainText());
      expect(exchange.requestBody).toMatchObject({ max_tokens: 256, temperature: 0.2 });
      expect(exchange.requestBody).not.toHaveProperty("store");
      await generateThrough(prism, custom("llama-3.1-8b-instruct"), structured());
      await generateThrough(prism, custom("llama-3.1-8b-instruct"), repairTurn());
    });

    it("sends store: false for a provider marked no-training, and never reasoning_effort", async () => {
      const { exchange } = await generateThrough(prism, custom("gpt-5-mini", true), plainText());
      expect(exchange.requestBody).toMatchObject({ max_tokens: 256, store: false });
      expect(exchange.requestBody).not.toHaveProperty("reasoning_effort");
    });
  });
});
