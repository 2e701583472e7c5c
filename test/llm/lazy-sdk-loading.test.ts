import { describe, expect, it, vi } from "vitest";
import { failureOf, userText } from "../support/model-calls.js";

/**
 * Each provider SDK is replaced by a module that records being loaded and
 * whose client cannot be built, so a call fails right after loading its SDK.
 */
const loaded = vi.hoisted(() => [] as string[]);
const unusableClient = vi.hoisted(
  () =>
    class {
      constructor() {
        throw new Error("this SDK is replaced in this test");
      }
    },
);

vi.mock("openai", () => {
  loaded.push("openai");
  return { OpenAI: unusableClient, AzureOpenAI: unusableClient };
});
vi.mock("@anthropic-ai/sdk", () => {
  loaded.push("@anthropic-ai/sdk");
  return { Anthropic: unusableClient };
});
vi.mock("@google/genai", () => {
  loaded.push("@google/genai");
  return { GoogleGenAI: unusableClient };
});
vi.mock("@aws-sdk/client-bedrock-runtime", () => {
  loaded.push("@aws-sdk/client-bedrock-runtime");
  return { BedrockRuntimeClient: unusableClient };
});

describe("loading provider SDKs lazily", () => {
  it("loads no SDK to import the resolver or to resolve every model, and only the called one's SDK on a call", async () => {
    const { EnvironmentModelResolver } = await import("../../src/llm/environment-resolver.js");
    const resolver = new EnvironmentModelResolver({
      OPENAI_API_KEY: "o",
      ANTHROPIC_API_KEY: "a",
      GEMINI_API_KEY: "g",
      AWS_REGION: "us-east-1",
      AZURE_OPENAI_API_KEY: "z",
      AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com/",
    });
    const models = {
      openai: await resolver.resolve({ providerType: "openai" }),
      anthropic: await resolver.resolve({ providerType: "anthropic" }),
      gemini: await resolver.resolve({ providerType: "gemini" }),
      azure: await resolver.resolve({ providerType: "azure-openai", model: "gpt-4o" }),
      bedrock: await resolver.resolve({ providerType: "bedrock", model: "amazon.nova-lite-v1:0" }),
    };
    expect(loaded).toEqual([]);

    await failureOf(models.anthropic.generate(userText("Hi")));
    expect(loaded).toEqual(["@anthropic-ai/sdk"]);

    await failureOf(models.bedrock.generate(userText("Hi")));
    await failureOf(models.gemini.generate(userText("Hi")));
    expect(loaded).toEqual(["@anthropic-ai/sdk", "@aws-sdk/client-bedrock-runtime", "@google/genai"]);
  });
});
