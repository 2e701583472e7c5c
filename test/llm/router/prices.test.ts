import { describe, expect, it } from "vitest";
import { estimatedCost, priceOf, prices } from "../../../src/llm/router/prices.js";

describe("price table", () => {
  it("is dated and prices the models Prose knows", () => {
    expect(prices.takenOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const model of ["gpt-4.1-mini", "claude-haiku-4-5", "gemini-2.5-flash", "amazon.nova-lite-v1:0"]) expect(prices.models[model]).toBeDefined();
  });

  it("finds a model by its id, a Bedrock inference profile and a dated snapshot; nothing for an unknown model", () => {
    expect(priceOf("gpt-4.1-mini", "openai")).toEqual({ input: 0.4, output: 1.6 });
    expect(priceOf("gpt-4o-mini-2024-07-18", "azure-openai")).toEqual(priceOf("gpt-4o-mini", "openai"));
    expect(priceOf("us.amazon.nova-lite-v1:0", "bedrock")).toEqual(priceOf("amazon.nova-lite-v1:0", "bedrock"));
    expect(priceOf("llama-3.1-8b-instruct", "custom")).toBeUndefined();
  });

  it("estimates a cost from the tokens, null without a price, nothing for tokens not reported", () => {
    expect(estimatedCost({ input: 0.4, output: 1.6 }, 1000, 500)).toBe(0.0012);
    expect(estimatedCost({ input: 0.4, output: 1.6 }, null, null)).toBe(0);
    expect(estimatedCost(undefined, 1000, 500)).toBeNull();
  });
});
