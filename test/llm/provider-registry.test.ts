import { describe, expect, it, vi } from "vitest";

/** Each adapter module is replaced by one that records being loaded. */
const loaded = vi.hoisted(() => [] as string[]);
const recordingAdapter = vi.hoisted(
  () =>
    (name: string) =>
      class {
        readonly adapter = name;
        constructor(readonly options: Record<string, unknown>) {}
      },
);
vi.mock("../../src/llm/openai/openai-language-model.js", () => {
  loaded.push("openai");
  return { OpenAiLanguageModel: recordingAdapter("openai") };
});
vi.mock("../../src/llm/anthropic/anthropic-language-model.js", () => {
  loaded.push("anthropic");
  return { AnthropicLanguageModel: recordingAdapter("anthropic") };
});
vi.mock("../../src/llm/google/google-language-model.js", () => {
  loaded.push("google");
  return { GoogleLanguageModel: recordingAdapter("google") };
});
vi.mock("../../src/llm/bedrock/bedrock-language-model.js", () => {
  loaded.push("bedrock");
  return { BedrockLanguageModel: recordingAdapter("bedrock") };
});

const { automaticTypes, isProviderType, providerDescriptor, providerDescriptors, providerTypes, typesInTryOrder } = await import("../../src/llm/provider-registry.js");

describe("the provider registry", () => {
  it("lists every type once, in the listing order, and tries the automatic ones in that order", () => {
    expect(providerTypes).toEqual(["openai", "azure-openai", "anthropic", "gemini", "vertex", "bedrock", "custom"]);
    expect(new Set(providerTypes).size).toBe(providerTypes.length);
    expect(automaticTypes).toEqual(["openai", "anthropic", "gemini", "vertex"]);
    expect(typesInTryOrder).toEqual(["openai", "anthropic", "gemini", "vertex", "azure-openai", "bedrock", "custom"]);
    expect(isProviderType("vertex")).toBe(true);
    expect(isProviderType("mistral")).toBe(false);
  });

  it("gives each type one block line at most, and a default model to every automatic type", () => {
    const lines = providerDescriptors.flatMap((descriptor) => (descriptor.blockLine === undefined ? [] : [descriptor.blockLine.line]));
    expect(lines).toEqual(["openai model", "azure model", "anthropic model", "gemini model", "vertex model", "bedrock model"]);
    for (const type of automaticTypes) expect(providerDescriptor(type).models.default, type).toBeDefined();
  });

  it("loads no adapter to read the descriptors, and only the built type's adapter when a model is built", async () => {
    for (const descriptor of providerDescriptors) {
      descriptor.environment.isConfigured({});
      descriptor.credential.hint("sk-0123456789abcdef");
    }
    expect(loaded).toEqual([]);

    const model = (await providerDescriptor("anthropic").create({ providerId: "a", model: "claude-haiku-4-5", settings: { baseUrl: "http://127.0.0.1:9/" }, secret: "key" })) as unknown as {
      adapter: string;
      options: Record<string, unknown>;
    };
    expect(loaded).toEqual(["anthropic"]);
    expect(model.adapter).toBe("anthropic");
    expect(model.options).toMatchObject({ providerId: "a", model: "claude-haiku-4-5", apiKey: "key", baseURL: "http://127.0.0.1:9/" });

    await providerDescriptor("vertex").create({
      providerId: "v",
      model: "gemini-2.5-flash",
      settings: { projectId: "p", location: "europe-west4" },
      secret: JSON.stringify({ client_email: "a@b", private_key: "k" }),
    });
    expect(loaded).toEqual(["anthropic", "google"]);
  });

  it("builds the same adapter options from the environment as from a stored configuration", async () => {
    const descriptor = providerDescriptor("bedrock");
    const fail = (detail?: string): never => {
      throw new Error(detail ?? "not configured");
    };
    const fromEnvironment = await descriptor.environment.read({ AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" }, fail);
    expect(fromEnvironment).toEqual({ settings: { region: "eu-west-1" }, secret: JSON.stringify({ accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" }) });
    const stored = descriptor.credential.check(JSON.stringify({ AccessKeyId: "AKIAEXAMPLE", SecretAccessKey: "secret" }), "the file aws.json");
    const [a, b] = (await Promise.all([
      descriptor.create({ providerId: "bedrock", model: "amazon.nova-lite-v1:0", ...fromEnvironment, secret: fromEnvironment.secret }),
      descriptor.create({ providerId: "bedrock", model: "amazon.nova-lite-v1:0", settings: { region: "eu-west-1" }, secret: stored }),
    ])) as unknown as Array<{ options: unknown }>;
    expect(a.options).toEqual(b.options);
    expect(a.options).toEqual({ providerId: "bedrock", model: "amazon.nova-lite-v1:0", region: "eu-west-1", credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" } });
  });
});
