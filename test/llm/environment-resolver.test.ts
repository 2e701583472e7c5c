import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EnvironmentModelResolver } from "../../src/llm/environment-resolver.js";
import { ModelResolutionError } from "../../src/llm/model-resolver.js";
import { bedrockText } from "../support/bedrock-server.js";
import { geminiText } from "../support/gemini-server.js";
import { userText } from "../support/model-calls.js";
import { openAiCompletion } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

async function resolutionFailure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ModelResolutionError);
  return (error as Error).message;
}

describe("resolving from the environment", () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(async () => {
    await server.close();
    vi.unstubAllEnvs();
  });

  it("builds an OpenAI model from OPENAI_API_KEY and OPENAI_BASE_URL, and calls it", async () => {
    const resolver = new EnvironmentModelResolver({ OPENAI_API_KEY: "sk-from-environment", OPENAI_BASE_URL: `${server.url}/v1` });
    const model = await resolver.resolve({ providerType: "openai", model: "gpt-4o-mini" });
    expect(model).toMatchObject({ providerId: "openai", providerType: "openai", model: "gpt-4o-mini" });
    server.enqueue(openAiCompletion("hi"));
    await model.generate(userText("Hi"));
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-from-environment");
  });

  it("picks the first configured provider and its default model when the call names none, and reuses models", async () => {
    const resolver = new EnvironmentModelResolver({ ANTHROPIC_API_KEY: "a", GEMINI_API_KEY: "g" });
    const model = await resolver.resolve({});
    expect(model).toMatchObject({ providerType: "anthropic", model: "claude-haiku-4-5" });
    expect(await resolver.resolve({})).toBe(model);
    expect(await resolver.resolve({ providerId: "gemini", model: "gemini-2.5-pro" })).toMatchObject({ providerType: "gemini", model: "gemini-2.5-pro" });
  });

  it("reads the Gemini key from GOOGLE_API_KEY and the base URL from GOOGLE_GEMINI_BASE_URL", async () => {
    const resolver = new EnvironmentModelResolver({ GOOGLE_API_KEY: "AIza-env", GOOGLE_GEMINI_BASE_URL: server.url });
    server.enqueue(geminiText("ok"));
    await (await resolver.resolve({ providerType: "gemini" })).generate(userText("Hi"));
    expect(server.requests[0]?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(server.requests[0]?.headers["x-goog-api-key"]).toBe("AIza-env");
  });

  it("signs Bedrock calls with the AWS variables and the service endpoint variable", async () => {
    const http2Server = await startScriptedServer({ protocol: "http2" });
    try {
      const resolver = new EnvironmentModelResolver({
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIAENVIRONMENT",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: http2Server.url,
      });
      http2Server.enqueue(bedrockText("ok"));
      await (await resolver.resolve({ providerType: "bedrock", model: "amazon.nova-lite-v1:0" })).generate(userText("Hi"));
      expect(http2Server.requests[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAENVIRONMENT\/\d{8}\/eu-west-1\/bedrock\//);
    } finally {
      await http2Server.close();
    }
  });

  it("never reads process.env", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-from-process");
    expect(await resolutionFailure(new EnvironmentModelResolver({}).resolve({ providerType: "openai" }))).toContain("No OpenAI key");
  });
});

describe("resolution errors name the fix", () => {
  it.each([
    ["openai", "No OpenAI key: set OPENAI_API_KEY (and OPENAI_BASE_URL for another server), or add a provider with `prose byom add openai --api-key-env VAR`."],
    ["anthropic", "No Anthropic key: set ANTHROPIC_API_KEY, or add a provider with `prose byom add anthropic --api-key-env VAR`."],
    ["gemini", "No Gemini key: set GEMINI_API_KEY (or GOOGLE_API_KEY), or add a provider with `prose byom add gemini --api-key-env VAR`."],
    ["custom", "A custom provider needs a configuration: add one with `prose byom add custom --base-url URL`."],
  ] as const)("for a missing %s configuration", async (providerType, message) => {
    expect(await resolutionFailure(new EnvironmentModelResolver({ OPENAI_API_KEY: "" }).resolve({ providerType, model: "m" }))).toBe(message);
  });

  it("when no provider is configured at all", async () => {
    expect(await resolutionFailure(new EnvironmentModelResolver({}).resolve({}))).toBe(
      "No model provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY, or add a provider with `prose byom add <type> --api-key-env VAR`.",
    );
  });

  it("for an unknown provider id, listing the known ones", async () => {
    const resolver = new EnvironmentModelResolver({ OPENAI_API_KEY: "k", GEMINI_API_KEY: "g" });
    expect(await resolutionFailure(resolver.resolve({ providerId: "custom-my-vllm-1764100945699-r6jisd" }))).toBe(
      'Unknown model provider "custom-my-vllm-1764100945699-r6jisd": the environment provides "openai", "gemini". Add it with `prose byom add <type> --name custom-my-vllm-1764100945699-r6jisd …`.',
    );
  });

  it("for Azure and Bedrock, which have no default model", async () => {
    const resolver = new EnvironmentModelResolver({ AZURE_OPENAI_API_KEY: "k", AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com/", AWS_REGION: "us-east-1" });
    expect(await resolutionFailure(resolver.resolve({ providerType: "azure-openai" }))).toBe(
      'Azure OpenAI has no default model: name one in the call with `the azure model is "<deployment name>"`.',
    );
    expect(await resolutionFailure(resolver.resolve({ providerType: "bedrock" }))).toBe('Bedrock has no default model: name one in the call with `the bedrock model is "…"`.');
    expect(await resolutionFailure(new EnvironmentModelResolver({ AZURE_OPENAI_API_KEY: "k" }).resolve({ providerType: "azure-openai", model: "gpt-4o" }))).toContain(
      "(AZURE_OPENAI_ENDPOINT is not set).",
    );
  });
});

describe("Vertex AI from GOOGLE_APPLICATION_CREDENTIALS", () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "prose-vertex-"));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("reads the key file, taking the project from it when GOOGLE_CLOUD_PROJECT is not set", async () => {
    const keyFile = join(folder, "key.json");
    await writeFile(keyFile, JSON.stringify({ type: "service_account", project_id: "from-file", client_email: "a@b.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\n" }));
    const model = await new EnvironmentModelResolver({ GOOGLE_APPLICATION_CREDENTIALS: keyFile }).resolve({ providerType: "vertex" });
    expect(model).toMatchObject({ providerId: "vertex", providerType: "vertex", model: "gemini-2.5-flash" });
  });

  it("refuses a missing file and a key file that is not a service account's", async () => {
    const missing = join(folder, "absent.json");
    expect(await resolutionFailure(new EnvironmentModelResolver({ GOOGLE_APPLICATION_CREDENTIALS: missing }).resolve({ providerType: "vertex" }))).toContain(
      `(GOOGLE_APPLICATION_CREDENTIALS names ${missing}, but it does not exist).`,
    );
    const userCredentials = join(folder, "user.json");
    await writeFile(userCredentials, JSON.stringify({ type: "authorized_user", client_id: "x", client_secret: "y", refresh_token: "z" }));
    expect(
      await resolutionFailure(new EnvironmentModelResolver({ GOOGLE_APPLICATION_CREDENTIALS: userCredentials, GOOGLE_CLOUD_PROJECT: "p" }).resolve({ providerType: "vertex" })),
    ).toContain(`(${userCredentials} is not a service-account key file: it has no "client_email").`);
  });
});
