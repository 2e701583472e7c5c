import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomHarness } from "../support/byom-harness.js";

const openAiKey = "sk-test-roundtrip-0123456789abcdefWXYZ";
const anthropicKey = "sk-ant-test-roundtrip-0123456789abcdQRST";

let harness: ByomHarness;
beforeEach(async () => {
  harness = await ByomHarness.create();
  harness.environment = { MY_OPENAI_KEY: openAiKey };
});
afterEach(async () => {
  await harness.dispose();
});

describe("prose byom add, list, show, default, fallback, remove", () => {
  it("adds a provider, prints its id, and keeps only a reference in the workspace", async () => {
    const added = await harness.prose("byom", "add", "openai", "--api-key-env", "MY_OPENAI_KEY", "--model", "gpt-4.1-mini", "--fallback-model", "gpt-4.1-nano", "--rpm", "60");
    expect(added.code).toBe(0);
    expect(added.out).toHaveLength(1);
    const id = added.out[0];
    expect(id).toMatch(/^openai-gpt-4-1-mini-\d{13}-[a-z0-9]{6}$/);
    expect(added.err).toEqual([`Added OpenAI gpt-4.1-mini (openai) to the agent "default" as its default provider.`]);

    const file = await harness.agentFile();
    expect(file).toMatchObject({
      version: 1,
      agent: "default",
      defaultProvider: id,
      fallbackChain: [],
      providers: [
        {
          id,
          type: "openai",
          name: "OpenAI gpt-4.1-mini",
          settings: {},
          credentialVersion: 1,
          models: [
            { id: "gpt-4.1-mini", role: "primary", verified: false },
            { id: "gpt-4.1-nano", role: "fallback", verified: false },
          ],
          limits: { requestsPerMinute: 60 },
          enabled: true,
        },
      ],
    });
    // The inert no-training and reasoning flags are no longer written (they come back, working, with BYOM v1).
    expect((file as { providers: object[] }).providers[0]).not.toHaveProperty("flags");
    expect(JSON.stringify(file)).not.toContain(openAiKey);
    expect(await harness.localStore.get({ agent: "default", providerId: id, version: 1 })).toBe(openAiKey);
    expect(await readFile(join(harness.workspace, ".gitignore"), "utf8")).toContain("secrets.enc.json");
  });

  it("makes every type's id as <type>-<slug of the name>-<epoch ms>-<6 random characters>", async () => {
    harness.standardInput = "sk-local-vllm-key-abcdefghijklmnop";
    const custom = await harness.add("custom", "--name", "My vLLM", "--base-url", "http://127.0.0.1:8000/v1", "--model", "llama-3.1-8b", "--api-key-stdin");
    const anthropic = await harness.add("anthropic", "--name", "Support bot", "--api-key-env", "MY_OPENAI_KEY");
    expect(custom).toMatch(/^custom-my-vllm-\d{13}-[a-z0-9]{6}$/);
    expect(anthropic).toMatch(/^anthropic-support-bot-\d{13}-[a-z0-9]{6}$/);
  });

  it("lists providers with at most the last four characters of each secret, in text and JSON", async () => {
    const openAi = await harness.add("openai", "--api-key-env", "MY_OPENAI_KEY");
    harness.standardInput = `${anthropicKey}\n`;
    const anthropic = await harness.add("anthropic", "--api-key-stdin", "--model", "claude-sonnet-4-5");
    const text = await harness.prose("byom", "list");
    expect(text.code).toBe(0);
    expect(text.out[0]).toMatch(/^ID\s+TYPE\s+NAME\s+MODEL\s+SECRET$/);
    expect(text.out[1]).toMatch(new RegExp(`^${openAi}\\s+openai\\s+OpenAI gpt-4.1-mini\\s+gpt-4.1-mini\\s+…WXYZ\\s+default$`));
    expect(text.out[2]).toMatch(new RegExp(`^${anthropic}\\s+anthropic\\s+Anthropic claude-sonnet-4-5\\s+claude-sonnet-4-5\\s+…QRST$`));
    const json = await harness.prose("byom", "list", "--json");
    expect(json.out).toHaveLength(1);
    const listed = JSON.parse(json.out[0]) as { defaultProvider: string; store: unknown; providers: Array<{ id: string; credential: unknown; default: boolean }> };
    expect(listed.defaultProvider).toBe(openAi);
    expect(listed.store).toEqual({ kind: "local" });
    expect(listed.providers.map((provider) => [provider.id, provider.credential, provider.default])).toEqual([
      [openAi, { version: 1, hint: "…WXYZ" }, true],
      [anthropic, { version: 1, hint: "…QRST" }, false],
    ]);
    for (const line of [...text.out, ...json.out]) {
      expect(line).not.toContain(openAiKey);
      expect(line).not.toContain(anthropicKey);
    }
  });

  it("shows one provider in full, and its JSON", async () => {
    const id = await harness.add("azure-openai", "--endpoint", "https://contoso.openai.azure.com/", "--model", "gpt-4o-mini", "--api-key-env", "MY_OPENAI_KEY", "--concurrency", "4");
    const text = await harness.prose("byom", "show", id);
    expect(text.code).toBe(0);
    expect(text.out).toEqual(
      expect.arrayContaining([
        `id          ${id}`,
        "type        azure-openai",
        "settings    endpoint https://contoso.openai.azure.com/, apiVersion 2024-10-21",
        "secret      …WXYZ (version 1, local (encrypted file in the workspace) store)",
        "  gpt-4o-mini  primary, not verified",
        "limits      4 at a time",
      ]),
    );
    expect(text.out.filter((line) => line.startsWith("flags"))).toEqual([]);
    const json = JSON.parse((await harness.prose("byom", "show", id, "--json")).out[0]) as Record<string, unknown>;
    expect(json).toMatchObject({ id, type: "azure-openai", default: true, credential: { version: 1, hint: "…WXYZ" }, settings: { endpoint: "https://contoso.openai.azure.com/", apiVersion: "2024-10-21" } });
  });

  it("sets the default provider and the fallback chain, checking the ids", async () => {
    const first = await harness.add("openai", "--api-key-env", "MY_OPENAI_KEY");
    const second = await harness.add("anthropic", "--api-key-env", "MY_OPENAI_KEY");
    expect((await harness.prose("byom", "default", second)).out).toEqual([`The default provider of the agent "default" is now ${second}.`]);
    expect((await harness.prose("byom", "fallback", second, first)).code).toBe(0);
    expect(await harness.agentFile()).toMatchObject({ defaultProvider: second, fallbackChain: [second, first] });
    const unknown = await harness.prose("byom", "default", "openai-nope");
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toBe(`error: The agent "default" has no model provider "openai-nope"; its providers are "${first}", "${second}". Use one of its ids (\`prose byom list\`), or add one with \`prose byom add <type> …\`.`);
    const twice = await harness.prose("byom", "fallback", first, first);
    expect(twice.err[0]).toBe(`error: "${first}" is named twice in the fallback chain.`);
    const list = await harness.prose("byom", "list");
    expect(list.out[1]).toMatch(/fallback 2$/);
    expect(list.out[2]).toMatch(/default, fallback 1$/);
  });

  it("removes a provider, its secrets, and its place as default and in the fallback chain", async () => {
    const first = await harness.add("openai", "--api-key-env", "MY_OPENAI_KEY");
    const second = await harness.add("gemini", "--api-key-env", "MY_OPENAI_KEY");
    await harness.prose("byom", "fallback", first, second);
    const removed = await harness.prose("byom", "remove", first);
    expect(removed).toEqual({ code: 0, out: [`Removed ${first} from the agent "default" and deleted its secret. The default provider is ${second}.`], err: [] });
    expect(await harness.agentFile()).toMatchObject({ defaultProvider: second, fallbackChain: [second] });
    expect(await harness.localStore.list("default", first)).toEqual([]);
    expect((await harness.prose("byom", "show", first)).code).toBe(2);
  });

  it("keeps each agent's providers apart, and finds the workspace from --workspace or PROSE_HOME", async () => {
    const invoices = await harness.add("openai", "--agent", "invoices", "--api-key-env", "MY_OPENAI_KEY");
    expect((await harness.agentFile("invoices")).providers).toHaveLength(1);
    expect(JSON.parse((await harness.prose("byom", "list", "--json")).out[0]).providers).toEqual([]);
    expect(await harness.localStore.list("invoices")).toEqual([{ agent: "invoices", providerId: invoices, version: 1 }]);

    const elsewhere = join(harness.folder, "elsewhere");
    await harness.add("openai", "--workspace", elsewhere, "--api-key-env", "MY_OPENAI_KEY");
    harness.environment.PROSE_HOME = elsewhere;
    expect(JSON.parse((await harness.prose("byom", "list", "--json")).out[0])).toMatchObject({ workspace: elsewhere, providers: [{ type: "openai" }] });
    const badAgent = await harness.prose("byom", "list", "--agent", "../etc");
    expect(badAgent.code).toBe(2);
    expect(badAgent.err[0]).toBe('error: "../etc" cannot be an agent name.');
  });

  it("says so when the agent has no providers", async () => {
    expect((await harness.prose("byom", "list", "--agent", "support")).out).toEqual([
      'The agent "support" has no model providers yet: add one with `prose byom add <type> --agent support …`.',
    ]);
  });
});
