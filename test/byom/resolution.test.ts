import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomModelResolver } from "../../src/byom/byom-model-resolver.js";
import type { AgentConfig, ProviderConfig } from "../../src/byom/config-schema.js";
import { CredentialBoundModel } from "../../src/byom/credential-bound-model.js";
import type { ModelChoice } from "../../src/llm/model-resolver.js";
import { ModelResolutionError } from "../../src/llm/model-resolver.js";
import { SecretStoreError } from "../../src/byom/secrets/secret-store.js";
import { anthropicText } from "../support/anthropic-server.js";
import { userText } from "../support/model-calls.js";
import { openAiCompletion } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { ByomHarness } from "../support/byom-harness.js";

const byomOpenAiKey = "sk-byom-openai-0123456789abcdefghij";
const secondOpenAiKey = "sk-byom-second-0123456789abcdefghij";
const byomAnthropicKey = "sk-ant-byom-0123456789abcdefghijkl";
const environmentKey = "sk-environment-0123456789abcdefghij";

let harness: ByomHarness;
let server: ScriptedServer;
let openAi: string;
let secondOpenAi: string;
let anthropic: string;

beforeEach(async () => {
  harness = await ByomHarness.create();
  server = await startScriptedServer();
  harness.environment = { OPENAI_ONE: byomOpenAiKey, OPENAI_TWO: secondOpenAiKey, ANTHROPIC_ONE: byomAnthropicKey };
  const base = `${server.url}/v1`;
  openAi = await harness.add("openai", "--agent", "bot", "--name", "main", "--base-url", base, "--model", "gpt-4.1-mini", "--model", "gpt-4o", "--api-key-env", "OPENAI_ONE");
  secondOpenAi = await harness.add("openai", "--agent", "bot", "--name", "second", "--base-url", base, "--model", "gpt-5-mini", "--api-key-env", "OPENAI_TWO");
  anthropic = await harness.add("anthropic", "--agent", "bot", "--base-url", server.url, "--model", "claude-haiku-4-5", "--api-key-env", "ANTHROPIC_ONE");
});
afterEach(async () => {
  await server.close();
  await harness.dispose();
});

function resolver(environment: Record<string, string> = {}, agent = "bot"): ByomModelResolver {
  return new ByomModelResolver({ workspace: harness.workspace, agent, environment, openSecretStore: (settings) => harness.storeFor(settings) });
}

/** Resolves, makes one call, and reports who answered and with which key. */
async function call(choice: ModelChoice, environment: Record<string, string> = {}, agent = "bot") {
  const model = await resolver(environment, agent).resolve(choice);
  const before = server.requests.length;
  server.enqueue(model.providerType === "anthropic" ? anthropicText("hi") : openAiCompletion("hi"));
  await model.generate(userText("Hi"));
  const request = server.requests[before];
  return {
    providerId: model.providerId,
    model: model.model,
    key: request.headers.authorization?.replace(/^Bearer /, "") ?? request.headers["x-api-key"],
    sentModel: (request.body as { model: string }).model,
  };
}

async function failure(choice: ModelChoice, environment: Record<string, string> = {}, agent = "bot"): Promise<string> {
  const error = await resolver(environment, agent).resolve(choice).then(
    () => undefined,
    (problem: unknown) => problem,
  );
  expect(error).toBeInstanceOf(ModelResolutionError);
  return (error as Error).message;
}

describe("how a call finds its model", () => {
  it("1. `the model provider is` → that configuration, its primary model or the named one among its models", async () => {
    expect(await call({ providerId: secondOpenAi })).toEqual({ providerId: secondOpenAi, model: "gpt-5-mini", key: secondOpenAiKey, sentModel: "gpt-5-mini" });
    expect(await call({ providerId: openAi, model: "gpt-4o" })).toEqual({ providerId: openAi, model: "gpt-4o", key: byomOpenAiKey, sentModel: "gpt-4o" });
    expect(await failure({ providerId: openAi, model: "gpt-3.5" })).toBe(
      `The provider "${openAi}" has no model "gpt-3.5"; its models are "gpt-4.1-mini", "gpt-4o": use one of them, or add the model with \`prose byom model add ${openAi} --agent bot gpt-3.5\`.`,
    );
  });

  it("1. an unknown provider id is an error listing the agent's ids", async () => {
    expect(await failure({ providerId: "custom-nope-1764100945699-r6jisd" })).toBe(
      `The agent "bot" has no model provider "custom-nope-1764100945699-r6jisd"; its providers are "${openAi}", "${secondOpenAi}", "${anthropic}". Use one of its ids (\`prose byom list --agent bot\`), or add one with \`prose byom add <type> --agent bot …\`.`,
    );
  });

  it("2. `the <type> model is` → the agent's configuration of that type that has the model, else its first of that type", async () => {
    expect(await call({ providerType: "openai", model: "gpt-5-mini" })).toMatchObject({ providerId: secondOpenAi, key: secondOpenAiKey, sentModel: "gpt-5-mini" });
    expect(await call({ providerType: "openai", model: "gpt-4o" })).toMatchObject({ providerId: openAi, key: byomOpenAiKey });
    expect(await call({ providerType: "openai", model: "gpt-4.1" })).toMatchObject({ providerId: openAi, sentModel: "gpt-4.1" });
    expect(await call({ providerType: "anthropic", model: "claude-haiku-4-5" })).toMatchObject({ providerId: anthropic, key: byomAnthropicKey });
  });

  it("3. neither → the agent's default provider and its primary model", async () => {
    expect(await call({})).toEqual({ providerId: openAi, model: "gpt-4.1-mini", key: byomOpenAiKey, sentModel: "gpt-4.1-mini" });
    await harness.prose("byom", "default", anthropic, "--agent", "bot");
    expect(await call({})).toMatchObject({ providerId: anthropic, model: "claude-haiku-4-5", key: byomAnthropicKey });
  });

  it("4. no configuration of that type → the environment variables, even with a provider of another type", async () => {
    const environment = { OPENAI_API_KEY: environmentKey, OPENAI_BASE_URL: `${server.url}/v1` };
    expect(await call({ providerType: "openai", model: "gpt-4o-mini" }, environment, "other")).toEqual({ providerId: "openai", model: "gpt-4o-mini", key: environmentKey, sentModel: "gpt-4o-mini" });
    expect(await call({}, environment, "other")).toMatchObject({ providerId: "openai", key: environmentKey });
    expect(await call({ providerId: "openai" }, environment, "other")).toMatchObject({ providerId: "openai", key: environmentKey });
    // The agent's own openai configuration wins over the environment.
    expect(await call({ providerType: "openai", model: "gpt-4o" }, environment)).toMatchObject({ providerId: openAi, key: byomOpenAiKey });
    expect(await call({ providerId: "openai" }, environment).catch((error: Error) => error.message)).toContain('has no model provider "openai"');
  });

  it("4. otherwise an error that names the `prose byom add` command that fixes it", async () => {
    expect(await failure({ providerType: "gemini", model: "gemini-2.5-flash" })).toBe(
      'The agent "bot" has no gemini provider, and the environment configures none: add one with `prose byom add gemini --agent bot --api-key-env GEMINI_API_KEY`.',
    );
    expect(await failure({}, {}, "empty")).toBe(
      'The agent "empty" has no model provider, and no OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY is set: add one with `prose byom add openai --agent empty --api-key-env OPENAI_API_KEY` (or anthropic, gemini, vertex, azure-openai, bedrock, custom).',
    );
    expect(await failure({ providerType: "azure-openai", model: "gpt-4o" })).toContain("`prose byom add azure-openai --agent bot --endpoint https://NAME.openai.azure.com/ --model DEPLOYMENT --api-key-env AZURE_OPENAI_API_KEY`");
  });

  it("reads the credential from the store at every call, not once", async () => {
    const model = await resolver().resolve({ providerId: openAi });
    const reads = harness.localStore.reads.length;
    for (let index = 0; index < 3; index += 1) {
      server.enqueue(openAiCompletion("hi"));
      await model.generate(userText("Hi"));
    }
    expect(harness.localStore.reads.length - reads).toBe(3);
  });

  it("fails a call with the file named when the configuration is broken, and with the store's words when the secret cannot be read", async () => {
    const saved = await harness.agentFile("bot");
    const freshConfig = async () => saved;
    const model = await resolver().resolve({ providerId: openAi });
    const file = join(harness.workspace, "agents", "bot.json");
    await writeFile(file, "{");
    await expect(model.generate(userText("Hi"))).rejects.toThrow(`The BYOM configuration file ${file} is not valid JSON`);
    await expect(resolver().resolve({})).rejects.toBeInstanceOf(ModelResolutionError);

    await writeFile(file, JSON.stringify(await freshConfig()));
    harness.localStore.failure = new SecretStoreError("unavailable", "The secret store cannot be reached; check the network.");
    await expect((await resolver().resolve({ providerId: openAi })).generate(userText("Hi"))).rejects.toThrow(
      `The credential of provider "${openAi}" (agent "bot") could not be read: The secret store cannot be reached; check the network.`,
    );
  });

  it("reads the configuration again when a rotation deleted the version it had just read", async () => {
    const config = await harness.agentFile("bot");
    const provider = (config.providers as Array<{ id: string }>).find((candidate) => candidate.id === openAi)!;
    const store = harness.storeFor({ kind: "local", workspace: harness.workspace });
    await store.put({ agent: "bot", providerId: openAi, version: 2 }, secondOpenAiKey);
    await store.delete({ agent: "bot", providerId: openAi, version: 1 });
    const versions = [1, 2];
    const model = new CredentialBoundModel(provider as never, "gpt-4.1-mini", {
      readAgent: async () => ({ ...(config as never as AgentConfig), providers: [{ ...(provider as never as ProviderConfig), credentialVersion: versions.shift() ?? 2 }] }),
      store: async () => store,
      adapterOptions: {},
    });
    server.enqueue(openAiCompletion("hi"));
    await model.generate(userText("Hi"));
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${secondOpenAiKey}`);
  });

  it("lists the ids a script may name, for prose check", async () => {
    expect(await resolver({ GEMINI_API_KEY: "g" }).providerIds()).toEqual([openAi, secondOpenAi, anthropic, "gemini"]);
  });
});
