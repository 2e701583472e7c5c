import { describe, expect, it } from "vitest";
import { hideSecretLookingWords, looksLikeSecret } from "../../src/byom/key-like.js";
import { providerDescriptors } from "../../src/llm/provider-registry.js";
import { newProviderId, slugOf } from "../../src/byom/provider-ids.js";

describe("values that look like secrets", () => {
  it.each([
    "sk-proj-Abc123def456Ghi789jkl012",
    "sk-ant-api03-AbCdEf123456-7890",
    "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "3f9a1c0e5b7d4e2f8a6b0c9d1e3f5a7b",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
    "https://user:hunter2@example.com/v1",
    "http://127.0.0.1:8000/v1?api-key=abc",
    "-----BEGIN PRIVATE KEY-----",
    "Xq7Lp2Zr9Tb4Nw6Kc1Vd8Ms3Hf5Gj0Ye",
  ])("%s is one", (value) => {
    expect(looksLikeSecret(value)).toBe(true);
  });

  it.each([
    "My vLLM",
    "Support bot 2",
    "https://contoso.openai.azure.com/",
    "http://localhost:8000/v1",
    "claude-3-5-haiku-20241022",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "meta-llama/Meta-Llama-3-70B-Instruct",
    "TheBlokeMistral7BInstructV02GPTQ",
    "Llama3Instruct70BChatModel",
    "custom-my-vllm-1764100945699-r6jisd",
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "/prose/invoices",
    "OPENAI_API_KEY",
    "2024-10-21",
  ])("%s is not", (value) => {
    expect(looksLikeSecret(value)).toBe(false);
  });

  it("never mistakes a known model for a secret", () => {
    for (const descriptor of providerDescriptors) for (const model of descriptor.models.known) expect(looksLikeSecret(model), model).toBe(false);
  });

  it("hides secret-looking words in a message and keeps the rest", () => {
    expect(hideSecretLookingWords("error: unknown option '--apikey=sk-proj-Abc123def456Ghi789jkl012'")).toBe("error: unknown option '[hidden]'");
    expect(hideSecretLookingWords("error: unknown option '--model-name'")).toBe("error: unknown option '--model-name'");
  });
});

describe("provider ids", () => {
  it("are <type>-<slug>-<epoch ms>-<6 random characters>", () => {
    let next = 0;
    const sources = { now: () => 1764100945699, randomBelow: (limit: number) => [17, 32, 9, 8, 18, 3][next++ % 6] % limit };
    expect(newProviderId("custom", "My vLLM", sources)).toBe("custom-my-vllm-1764100945699-r6jisd");
    expect(newProviderId("openai", "gpt-4.1-mini", sources)).toMatch(/^openai-gpt-4-1-mini-1764100945699-[a-z0-9]{6}$/);
    expect(newProviderId("bedrock", "!!!", sources)).toMatch(/^bedrock-1764100945699-[a-z0-9]{6}$/);
  });

  it("slugs names to lower-case words joined by -", () => {
    expect(slugOf("  Équipe Support — EU #2 ")).toBe("equipe-support-eu-2");
    expect(slugOf("x".repeat(60))).toHaveLength(40);
  });
});
