import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomHarness } from "../support/byom-harness.js";
import { openAiCompletion, openAiError } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

const key = "sk-test-manage-0123456789abcdefWXYZ";

interface ProviderFile {
  id: string;
  name: string;
  enabled: boolean;
  models: Array<{ id: string; role: string; verified: boolean; verifiedAt?: string }>;
  limits: Record<string, number>;
  settings: Record<string, string>;
  reasoning?: string;
  noTraining?: boolean;
  credentialVersion: number | null;
  updatedAt: string;
}

let harness: ByomHarness;
let server: ScriptedServer;
beforeEach(async () => {
  harness = await ByomHarness.create();
  server = await startScriptedServer();
  harness.environment = { KEY: key };
});
afterEach(async () => {
  await server.close();
  await harness.dispose();
});

async function providers(agent = "default"): Promise<ProviderFile[]> {
  return (await harness.agentFile(agent)).providers as ProviderFile[];
}

async function provider(id: string): Promise<ProviderFile> {
  return (await providers()).find((entry) => entry.id === id)!;
}

function json(outcome: { out: string[] }): Record<string, unknown> {
  expect(outcome.out).toHaveLength(1);
  return JSON.parse(outcome.out[0]) as Record<string, unknown>;
}

describe("prose byom enable and disable", () => {
  it("disables a provider, warning where calls that name no provider now go, and enables it again", async () => {
    const first = await harness.add("openai", "--base-url", `${server.url}/v1`, "--api-key-env", "KEY");
    const second = await harness.add("anthropic", "--api-key-env", "KEY");
    const third = await harness.add("gemini", "--api-key-env", "KEY");
    expect((await harness.prose("byom", "fallback", second, third)).code).toBe(0);

    const disabled = await harness.prose("byom", "disable", first);
    expect(disabled.code).toBe(0);
    expect(disabled.out).toEqual([`The provider ${first} of the agent "default" is now disabled.`]);
    expect(disabled.err).toEqual([`warning: "${first}" is the default provider of the agent "default" and is now disabled; calls that name no provider now go to its fallback chain: ${second} → ${third}.`]);
    expect((await provider(first)).enabled).toBe(false);
    // The default stays: enabling it again restores the routing as it was.
    expect((await harness.agentFile()).defaultProvider).toBe(first);
    const list = await harness.prose("byom", "list");
    expect(list.out[1]).toMatch(/default, disabled$/);

    const again = await harness.prose("byom", "disable", first, "--json");
    expect(json(again)).toEqual({ agent: "default", id: first, enabled: false, changed: false, warnings: [] });
    // `byom default` still refuses a disabled provider.
    expect((await harness.prose("byom", "default", first)).err[0]).toBe(`error: The provider "${first}" is disabled and cannot be the default.`);

    const enabled = await harness.prose("byom", "enable", first, "--json");
    expect(enabled.code).toBe(0);
    expect(json(enabled)).toEqual({ agent: "default", id: first, enabled: true, changed: true, warnings: [] });
    expect((await provider(first)).enabled).toBe(true);
    expect((await harness.prose("byom", "enable", first)).out).toEqual([`The provider ${first} of the agent "default" was already enabled.`]);
  });

  it("says when calls that name no provider have nowhere to go, and names the fixes", async () => {
    const only = await harness.add("openai", "--api-key-env", "KEY", "--agent", "solo");
    const disabled = await harness.prose("byom", "disable", only, "--agent", "solo", "--json");
    expect(json(disabled).warnings).toEqual([
      `"${only}" is the default provider of the agent "solo" and is now disabled; calls that name no provider now fail: its fallback chain has no usable provider. Choose another default with \`prose byom default ID --agent solo\`, or enable it again with \`prose byom enable ${only} --agent solo\`.`,
    ]);
    expect(disabled.err).toEqual([`warning: ${(json(disabled).warnings as string[])[0]}`]);
  });

  it("refuses an unknown provider in text and in JSON", async () => {
    const id = await harness.add("openai", "--api-key-env", "KEY");
    const unknown = await harness.prose("byom", "disable", "openai-nope", "--json");
    expect(unknown.code).toBe(2);
    expect(json(unknown)).toEqual({ error: { message: `The agent "default" has no model provider "openai-nope"; its providers are "${id}". Use one of its ids (\`prose byom list\`), or add one with \`prose byom add <type> …\`.` } });
  });
});

describe("prose byom model add and remove", () => {
  it("adds a model after one test call to it, as an available, primary or fallback model", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--api-key-env", "KEY", "--model", "gpt-4.1-mini", "--fallback-model", "gpt-4.1-nano");
    server.enqueue(openAiCompletion("OK"));
    const added = await harness.prose("byom", "model", "add", id, "gpt-4o");
    expect(added.code, added.err.join("\n")).toBe(0);
    expect(added.out).toEqual([`Added gpt-4o to ${id}, verified with one test call.`]);
    // The test call went to the new model, with the stored key.
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].body).toMatchObject({ model: "gpt-4o", max_completion_tokens: 16 });
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${key}`);

    server.enqueue(openAiCompletion("OK"));
    const primary = await harness.prose("byom", "model", "add", id, "gpt-4.1", "--primary", "--json");
    expect(primary.code).toBe(0);
    const result = json(primary);
    expect(result).toMatchObject({ agent: "default", id, model: "gpt-4.1", role: "primary", moved: { model: "gpt-4.1-mini", from: "primary", to: "available" }, verification: { model: "gpt-4.1", ok: true } });

    server.enqueue(openAiCompletion("OK"));
    const fallback = await harness.prose("byom", "model", "add", id, "o4-mini", "--fallback");
    expect(fallback.out).toEqual([`Added o4-mini to ${id} as its fallback model, verified with one test call. gpt-4.1-nano was the fallback model and is now available.`]);
    expect((await provider(id)).models.map((model) => [model.id, model.role, model.verified])).toEqual([
      ["gpt-4.1-mini", "available", false],
      ["gpt-4.1-nano", "available", false],
      ["gpt-4o", "available", true],
      ["gpt-4.1", "primary", true],
      ["o4-mini", "fallback", true],
    ]);
    expect((await provider(id)).credentialVersion).toBe(1);
  });

  it("refuses a model whose test call fails, with the verification's message, and writes nothing", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--api-key-env", "KEY");
    const before = await harness.agentFile();
    server.enqueue(openAiError(404, { message: "The model `gpt-nope` does not exist or you do not have access to it.", type: "invalid_request_error", code: "model_not_found" }));
    const refused = await harness.prose("byom", "model", "add", id, "gpt-nope", "--json");
    expect(refused.code).toBe(1);
    const error = (json(refused) as { error: { message: string; fix: string } }).error;
    expect(error.message).toMatch(new RegExp(`^The model "gpt-nope" of provider "${id}" failed its test call: .*404.*Nothing was changed\\.$`));
    expect(error.message).toContain("does not exist");
    expect(error.fix).toBe(`Check the model's name (\`prose byom show ${id}\` lists the provider's models), then run the command again.`);
    expect(refused.err[0]).toBe(`error: ${error.message}`);
    expect(await harness.agentFile()).toEqual(before);
  });

  it("refuses a model already there before any call, and --primary with --fallback", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--api-key-env", "KEY", "--model", "gpt-4.1-mini", "--fallback-model", "gpt-4.1-nano");
    expect(await harness.prose("byom", "model", "add", id, "gpt-4.1-mini")).toMatchObject({ code: 2, err: [`error: The provider "${id}" already has the model "gpt-4.1-mini" (primary).`, "  Nothing to add."] });
    expect((await harness.prose("byom", "model", "add", id, "gpt-4.1-nano")).err).toEqual([
      `error: The provider "${id}" already has the model "gpt-4.1-nano" (fallback).`,
      `  To change its role, remove it with \`prose byom model remove ${id} gpt-4.1-nano\` and add it again with --primary or --fallback.`,
    ]);
    expect((await harness.prose("byom", "model", "add", id, "gpt-4o", "--primary", "--fallback")).err[0]).toBe("error: --primary and --fallback cannot both be given: a model has one role.");
    expect(server.requests).toHaveLength(0);
  });

  it("removes a model; the primary only with --primary naming its successor; never the last one", async () => {
    const id = await harness.add("openai", "--api-key-env", "KEY", "--model", "gpt-4.1-mini", "--model", "gpt-4o", "--fallback-model", "gpt-4.1-nano");
    const removed = await harness.prose("byom", "model", "remove", id, "gpt-4.1-nano");
    expect(removed.out).toEqual([`Removed gpt-4.1-nano from ${id}.`]);

    const needsSuccessor = await harness.prose("byom", "model", "remove", id, "gpt-4.1-mini");
    expect(needsSuccessor.code).toBe(2);
    expect(needsSuccessor.err).toEqual([`error: "gpt-4.1-mini" is the primary model of the provider "${id}": name the model that replaces it.`, `  Run \`prose byom model remove ${id} gpt-4.1-mini --primary MODEL\` with one of "gpt-4o".`]);
    expect((await harness.prose("byom", "model", "remove", id, "gpt-4.1-mini", "--primary", "gpt-5")).err[0]).toBe(`error: --primary must name another model of the provider "${id}": the provider has no model "gpt-5".`);
    expect((await harness.prose("byom", "model", "remove", id, "gpt-4o", "--primary", "gpt-4.1-mini")).err[0]).toBe(`error: "gpt-4o" is not the primary model of the provider "${id}": --primary is only for replacing the primary model.`);

    const replaced = await harness.prose("byom", "model", "remove", id, "gpt-4.1-mini", "--primary", "gpt-4o", "--json");
    expect(json(replaced)).toEqual({ agent: "default", id, removed: "gpt-4.1-mini", primary: "gpt-4o", models: [{ id: "gpt-4o", role: "primary", verified: false }] });
    const last = await harness.prose("byom", "model", "remove", id, "gpt-4o");
    expect(last.err).toEqual([
      `error: "gpt-4o" is the only model of the provider "${id}"; a provider keeps at least one.`,
      `  Add another with \`prose byom model add ${id} MODEL --primary\` first, or remove the provider with \`prose byom remove ${id}\`.`,
    ]);
    expect((await harness.prose("byom", "model", "remove", id, "gpt-9")).err[0]).toBe(`error: The provider "${id}" has no model "gpt-9"; its models are "gpt-4o".`);
    expect((await provider(id)).models).toEqual([{ id: "gpt-4o", role: "primary", verified: false }]);
  });
});

describe("prose byom edit", () => {
  it("changes limits, name, reasoning, no-training and type settings, printing what changed, never the credential", async () => {
    const id = await harness.add("openai", "--api-key-env", "KEY", "--rpm", "60", "--concurrency", "4");
    const stored = await harness.localStore.get({ agent: "default", providerId: id, version: 1 });
    const edited = await harness.prose("byom", "edit", id, "--rpm", "120", "--concurrency", "none", "--tpm", "50000", "--timeout", "30", "--retries", "0", "--name", "Main", "--reasoning", "low", "--no-training", "--base-url", "https://proxy.example.com/v1");
    expect(edited.code, edited.err.join("\n")).toBe(0);
    expect(edited.out).toEqual([
      `Changed ${id}:`,
      '  name: "OpenAI gpt-4.1-mini" → "Main"',
      "  requestsPerMinute: 60 → 120",
      "  tokensPerMinute: none → 50000",
      "  concurrency: 4 → none",
      "  maxRetries: none → 0",
      "  timeoutSeconds: none → 30",
      '  reasoning: "off" → "low"',
      "  noTraining: false → true",
      '  baseUrl: none → "https://proxy.example.com/v1"',
    ]);
    expect(await provider(id)).toMatchObject({
      name: "Main",
      limits: { requestsPerMinute: 120, tokensPerMinute: 50000, maxRetries: 0, timeoutSeconds: 30 },
      reasoning: "low",
      noTraining: true,
      settings: { baseUrl: "https://proxy.example.com/v1" },
      credentialVersion: 1,
    });
    expect((await provider(id)).limits).not.toHaveProperty("concurrency");
    expect(await harness.localStore.get({ agent: "default", providerId: id, version: 1 })).toBe(stored);
    expect(await harness.localStore.list("default", id)).toEqual([{ agent: "default", providerId: id, version: 1 }]);

    const back = await harness.prose("byom", "edit", id, "--training", "--reasoning", "off", "--json");
    expect(json(back)).toEqual({
      agent: "default",
      id,
      changed: [
        { setting: "reasoning", from: "low", to: "off" },
        { setting: "noTraining", from: true, to: false },
      ],
      warnings: [],
    });
    const file = await provider(id);
    expect(file).not.toHaveProperty("reasoning");
    expect(file).not.toHaveProperty("noTraining");
    expect((await harness.prose("byom", "edit", id, "--rpm", "120")).out).toEqual([`Nothing changed: ${id} already had those settings.`]);
    // An optional setting is removed with "none"; a required one cannot be.
    expect((await harness.prose("byom", "edit", id, "--base-url", "none")).out).toEqual([`Changed ${id}:`, '  baseUrl: "https://proxy.example.com/v1" → none']);
    expect((await provider(id)).settings).toEqual({});
    const custom = await harness.add("custom", "--base-url", "http://127.0.0.1:9/v1", "--model", "m");
    expect((await harness.prose("byom", "edit", custom, "--base-url", "none")).err).toEqual(["error: A custom provider needs --base-url: it cannot be removed.", "  Give another value, for example --base-url http://localhost:8000/v1."]);
  });

  it("checks every value as add does: an invalid one changes nothing", async () => {
    const id = await harness.add("openai", "--api-key-env", "KEY", "--rpm", "60");
    const before = await harness.agentFile();
    const refused = async (...argv: string[]) => {
      const outcome = await harness.prose("byom", "edit", id, ...argv);
      expect(outcome.code).toBe(2);
      expect(await harness.agentFile()).toEqual(before);
      return outcome.err;
    };
    expect(await refused("--rpm", "120", "--concurrency", "-1")).toEqual(['error: --concurrency must be a whole number above 0, not "-1".', "  For example --concurrency 60."]);
    expect((await refused("--name", "X", "--timeout", "9999"))[0]).toBe('error: --timeout must be a number of seconds above 0 (at most 3600), not "9999".');
    expect((await refused("--retries", "11"))[0]).toBe('error: --retries must be a whole number from 0 to 10, not "11".');
    expect((await refused("--reasoning", "high"))[0]).toBe('error: --reasoning must be off or low, not "high".');
    expect(await refused("--region", "us-east-1")).toEqual(["error: An openai provider does not use --region.", "  Leave it out; openai takes --base-url, --organization."]);
    expect((await refused("--base-url", "ftp://example.com"))[0]).toBe('error: --base-url must be an http:// or https:// URL, and "ftp://example.com" is not one.');
    expect((await refused("--name", "  "))[0]).toBe("error: --name must not be empty.");
    expect(await refused()).toEqual(["error: `prose byom edit` needs a setting to change.", "  For example --rpm 60, --concurrency none, --reasoning low or --no-training (`prose byom edit --help` lists them)."]);
    const unknown = await harness.prose("byom", "edit", "openai-nope", "--rpm", "5", "--json");
    expect((json(unknown) as { error: { message: string } }).error.message).toContain('has no model provider "openai-nope"');
  });

  it("edits a type's settings through its descriptor: a Bedrock region, an Azure endpoint (not its deployment)", async () => {
    const bedrock = await harness.add("bedrock", "--region", "us-east-1", "--model", "amazon.nova-lite-v1:0");
    expect((await harness.prose("byom", "edit", bedrock, "--region", "eu-west-3")).out).toEqual([`Changed ${bedrock}:`, '  region: "us-east-1" → "eu-west-3"']);
    const azure = await harness.add("azure-openai", "--endpoint", "https://contoso.openai.azure.com/", "--model", "gpt-4o-mini", "--api-key-env", "KEY");
    expect((await harness.prose("byom", "edit", azure, "--endpoint", "https://fabrikam.openai.azure.com/")).out).toEqual([`Changed ${azure}:`, '  endpoint: "https://contoso.openai.azure.com/" → "https://fabrikam.openai.azure.com/"']);
    expect((await harness.prose("byom", "edit", azure, "--deployment", "gpt-4o")).err).toEqual(["error: --deployment is not a setting `prose byom edit` changes.", `  Add the model with \`prose byom model add ${azure} MODEL\` instead.`]);
  });

  it("warns when a provider loses its no-training mark under a policy that requires it", async () => {
    const added = await harness.prose("byom", "add", "openai", "--api-key-env", "KEY", "--no-training", "--reasoning", "low", "--json");
    const id = (json(added) as { id: string }).id;
    expect(json(added)).toMatchObject({ id, type: "openai", reasoning: "low", noTraining: true });
    expect(await provider(id)).toMatchObject({ noTraining: true, reasoning: "low" });
    // Without them: reasoning off and no mark, neither written to the file.
    const plain = await harness.add("anthropic", "--api-key-env", "KEY");
    expect(await provider(plain)).not.toHaveProperty("reasoning");
    expect(await provider(plain)).not.toHaveProperty("noTraining");
    expect((await harness.prose("byom", "remove", plain)).code).toBe(0);
    expect((await harness.prose("byom", "policy", "--require-no-training")).err).toEqual([]);
    const edited = await harness.prose("byom", "edit", id, "--training");
    expect(edited.err).toEqual([
      `warning: the provider "${id}" is not marked no-training, and the policy of the agent "default" requires it: runs will refuse it. If its account neither retains nor trains on requests, mark it with \`prose byom edit ${id} --no-training\`; otherwise use a provider that is marked.`,
    ]);
  });
});

describe("prose byom policy", () => {
  it("prints, sets and clears the agent's no-training policy, naming each provider it will refuse", async () => {
    const marked = await harness.add("openai", "--api-key-env", "KEY", "--no-training");
    const unmarked = await harness.add("anthropic", "--api-key-env", "KEY");
    const off = await harness.add("gemini", "--api-key-env", "KEY");
    expect((await harness.prose("byom", "disable", off)).code).toBe(0);
    expect((await harness.prose("byom", "policy")).out).toEqual(['The policy of the agent "default": none.']);
    expect((await harness.prose("byom", "disable", unmarked)).code).toBe(0);

    const on = await harness.prose("byom", "policy", "--require-no-training");
    expect(on.code).toBe(0);
    expect(on.out).toEqual(['The policy of the agent "default" now requires every provider to be marked no-training.']);
    const refusal = `the provider "${unmarked}" is not marked no-training, and the policy of the agent "default" requires it: runs will refuse it. If its account neither retains nor trains on requests, mark it with \`prose byom edit ${unmarked} --no-training\`; otherwise use a provider that is marked.`;
    // A disabled provider is not named: it is refused already.
    expect(on.err).toEqual([]);
    const enabled = await harness.prose("byom", "enable", unmarked);
    expect(enabled.err).toEqual([
      `warning: the provider "${unmarked}" is not marked no-training, and the policy of the agent "default" requires it: runs will still refuse it. If its account neither retains nor trains on requests, mark it with \`prose byom edit ${unmarked} --no-training\`; otherwise use a provider that is marked.`,
    ]);
    expect((await harness.prose("byom", "policy", "--require-no-training")).err).toEqual([`warning: ${refusal}`]);
    expect(await harness.agentFile()).toMatchObject({ policy: { requireNoTraining: true } });

    expect(json(await harness.prose("byom", "policy", "--json"))).toEqual({ agent: "default", project: null, requireNoTraining: true, agentRequiresNoTraining: true, refused: [refusal] });
    expect((await harness.prose("byom", "policy")).out).toEqual(['The policy of the agent "default": every provider must be marked no-training.', `  refused: ${refusal}`]);
    const list = await harness.prose("byom", "list");
    expect(list.out.find((line) => line.startsWith(marked))).toMatch(/default, no-training$/);
    expect(list.out.find((line) => line.startsWith(unmarked))).toMatch(/refused by the policy$/);
    expect(list.out.at(-1)).toBe('policy: every provider must be marked no-training (the policy of the agent "default")');
    const show = await harness.prose("byom", "show", unmarked);
    expect(show.out).toEqual(
      expect.arrayContaining([
        "reasoning   off",
        "training    not marked no-training",
        'policy      every provider must be marked no-training (the policy of the agent "default")',
        `refused     the provider "${unmarked}" is not marked no-training, and the policy of the agent "default" requires it. If its account neither retains nor trains on requests, mark it with \`prose byom edit ${unmarked} --no-training\`; otherwise use a provider that is marked.`,
      ]),
    );
    expect(json(await harness.prose("byom", "show", marked, "--json"))).toMatchObject({ noTraining: true, reasoning: "off", refusal: null, policy: { requireNoTraining: true } });

    const cleared = await harness.prose("byom", "policy", "--allow-training", "--json");
    expect(json(cleared)).toEqual({ agent: "default", project: null, requireNoTraining: false, changed: true, warnings: [] });
    expect(await harness.agentFile()).not.toHaveProperty("policy");
    expect((await harness.prose("byom", "policy", "--allow-training")).out).toEqual(['The policy of the agent "default" already does not require providers to be marked no-training.']);
    expect((await harness.prose("byom", "policy", "--allow-training", "--require-no-training")).code).toBe(2);
  });
});
