import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAiCompletion, openAiErrors } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { ByomHarness } from "../support/byom-harness.js";

/**
 * BYOM v1 routing as a run sees it: a project's own default provider and fallback chain (then the
 * agent's), an agent's or a project's no-training policy refusing providers not marked, and
 * `prose check --agent --project` reporting what such a run cannot use. The configuration is
 * written into the agent file here (as `prose byom default|fallback|policy --project` write it,
 * tested with the commands themselves in their own tests), so that these tests are about routing.
 */
let harness: ByomHarness;
let servers: Record<"main" | "backup" | "staging", ScriptedServer>;
let ids: Record<"main" | "backup" | "staging", string>;

beforeEach(async () => {
  harness = await ByomHarness.create();
  const [main, backup, staging] = await Promise.all([startScriptedServer(), startScriptedServer(), startScriptedServer()]);
  servers = { main, backup, staging };
  harness.environment = { KEY: "sk-project-routing-0123456789abcdef" };
  const add = (name: string, server: ScriptedServer, model: string) =>
    harness.add("openai", "--agent", "bot", "--name", name, "--base-url", `${server.url}/v1`, "--model", model, "--api-key-env", "KEY", "--retries", "0");
  ids = { main: await add("main", main, "gpt-4.1-mini"), backup: await add("backup", backup, "gpt-4.1-nano"), staging: await add("staging", staging, "gpt-4o-mini") };
});
afterEach(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
  await harness.dispose();
});

type AgentFile = {
  defaultProvider: string | null;
  fallbackChain: string[];
  policy?: { requireNoTraining?: boolean };
  projects?: Record<string, { defaultProvider?: string; fallbackChain?: string[]; policy?: { requireNoTraining?: boolean } }>;
  providers: Array<{ id: string; enabled: boolean; noTraining?: boolean }>;
};

async function configure(change: (config: AgentFile) => void): Promise<void> {
  const config = (await harness.agentFile("bot")) as unknown as AgentFile;
  change(config);
  await writeFile(join(harness.workspace, "agents", "bot.json"), JSON.stringify(config));
}

async function script(source: string, name = "script.prose"): Promise<string> {
  const path = join(harness.folder, name);
  await writeFile(path, source);
  return path;
}


const hello = 'ask the model "Say hello"\nsay the answer\n';

describe("a project's own default provider and fallback chain", () => {
  it("routes a run of the project to its default, and a run of another project to the agent's", async () => {
    await configure((config) => {
      config.projects = { staging: { defaultProvider: ids.staging } };
    });
    servers.staging.enqueue(openAiCompletion("Hello from staging"));
    servers.main.enqueue(openAiCompletion("Hello from main"));
    servers.main.enqueue(openAiCompletion("Hello from main again"));
    expect((await harness.prose("run", await script(hello), "--agent", "bot", "--project", "staging")).out).toEqual(["Hello from staging"]);
    expect((await harness.prose("run", await script(hello), "--agent", "bot", "--project", "q4")).out).toEqual(["Hello from main"]);
    expect((await harness.prose("run", await script(hello), "--agent", "bot")).out).toEqual(["Hello from main again"]);
    expect((await harness.usageRecords()).map((record) => `${record.project ?? "-"} ${record.providerId}`)).toEqual([`staging ${ids.staging}`, `q4 ${ids.main}`, `- ${ids.main}`]);
  });

  it("falls back from a dead project default to the project's chain, then the agent's default and chain", async () => {
    await configure((config) => {
      config.fallbackChain = [ids.backup];
      config.projects = { staging: { defaultProvider: ids.staging } };
    });
    servers.staging.enqueue(openAiErrors.serverError());
    servers.main.enqueue(openAiErrors.serverError());
    servers.backup.enqueue(openAiCompletion("Hello from the agent's chain"));
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot", "--project", "staging");
    expect(outcome.code).toBe(0);
    expect(outcome.out).toEqual(["Hello from the agent's chain"]);
    expect(outcome.err).toEqual([
      expect.stringMatching(new RegExp(`^warning: Provider "${ids.staging}" .*Trying provider "${ids.main}" \\(openai\\), model "gpt-4\\.1-mini" instead\\.$`)),
      expect.stringMatching(new RegExp(`^warning: Provider "${ids.main}" .*Trying provider "${ids.backup}" \\(openai\\), model "gpt-4\\.1-nano" instead\\.$`)),
    ]);
    expect((await harness.usageRecords()).map((record) => `${record.providerId} ${record.outcome}`)).toEqual([`${ids.staging} server`, `${ids.main} server`, `${ids.backup} ok`]);
  });

  it("tries the project's own chain before the agent's", async () => {
    await configure((config) => {
      config.fallbackChain = [ids.main];
      config.projects = { staging: { defaultProvider: ids.staging, fallbackChain: [ids.backup] } };
    });
    servers.staging.enqueue(openAiErrors.serverError());
    servers.backup.enqueue(openAiCompletion("Hello from the project's chain"));
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot", "--project", "staging");
    expect(outcome.out).toEqual(["Hello from the project's chain"]);
    expect(servers.main.requests).toHaveLength(0);
  });

  it("skips a disabled project default with a warning, and moves on to the chain", async () => {
    await configure((config) => {
      config.projects = { staging: { defaultProvider: ids.staging } };
      config.providers.find((provider) => provider.id === ids.staging)!.enabled = false;
    });
    servers.main.enqueue(openAiCompletion("Hello from main"));
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot", "--project", "staging");
    expect(outcome.out).toEqual(["Hello from main"]);
    expect(outcome.err).toEqual([
      `warning: The provider "${ids.staging}" (openai), model "gpt-4o-mini" was skipped: The provider "${ids.staging}" is disabled. Enable it with \`prose byom enable ${ids.staging} --agent bot\`, or name another provider.`,
    ]);
    expect(servers.staging.requests).toHaveLength(0);
  });
});

describe("a disabled provider with nowhere to go", () => {
  it("fails the call with the reason and the fix, said once for the provider's models", async () => {
    await configure((config) => {
      const main = config.providers.find((provider) => provider.id === ids.main)!;
      main.enabled = false;
      (main as unknown as { models: Array<{ id: string; role: string; verified: boolean }> }).models.push({ id: "gpt-4.1-nano", role: "fallback", verified: false });
    });
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot");
    expect(outcome.code).toBe(1);
    const skips = outcome.err.filter((line) => line.includes("was skipped"));
    expect(skips).toHaveLength(1);
    expect(outcome.err.join("\n")).toContain(`error: No model could serve this call: provider "${ids.main}" (openai), model "gpt-4.1-mini" and its fallbacks could not be used. The provider "${ids.main}" is disabled. Enable it with \`prose byom enable ${ids.main} --agent bot\`, or name another provider.`);
    expect(servers.main.requests).toHaveLength(0);
  });
});

describe("a no-training policy", () => {
  it("of the agent: a provider not marked is skipped at call time, with the policy and the fix named", async () => {
    await configure((config) => {
      config.policy = { requireNoTraining: true };
      config.fallbackChain = [ids.backup];
      config.providers.find((provider) => provider.id === ids.backup)!.noTraining = true;
    });
    servers.backup.enqueue(openAiCompletion("Hello from a no-training account"));
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot");
    expect(outcome.out).toEqual(["Hello from a no-training account"]);
    expect(outcome.err).toEqual([
      `warning: The provider "${ids.main}" (openai), model "gpt-4.1-mini" was skipped: The provider "${ids.main}" is not marked no-training, and the policy of the agent "bot" requires it. If its account neither retains nor trains on requests, mark it with \`prose byom edit ${ids.main} --agent bot --no-training\`; otherwise use a provider that is marked.`,
    ]);
    expect(servers.main.requests).toHaveLength(0);
  });

  it("of the agent, with no provider marked: the call fails in English and nothing is sent", async () => {
    await configure((config) => {
      config.policy = { requireNoTraining: true };
    });
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot");
    expect(outcome.code).not.toBe(0);
    const said = outcome.err.join("\n");
    expect(said).toContain(`The provider "${ids.main}" is not marked no-training, and the policy of the agent "bot" requires it.`);
    expect(said).toContain(`prose byom edit ${ids.main} --agent bot --no-training`);
    expect(said).not.toMatch(/\n\s+at /);
    expect(servers.main.requests).toHaveLength(0);
  });

  it("refuses a model configured by environment variables, which cannot be marked", async () => {
    await writeFile(join(harness.workspace, "agents", "env.json"), JSON.stringify({ version: 1, agent: "env", defaultProvider: null, fallbackChain: [], providers: [], policy: { requireNoTraining: true } }));
    harness.environment = { OPENAI_API_KEY: "sk-environment-0123456789abcdef", OPENAI_BASE_URL: `${servers.main.url}/v1` };
    const outcome = await harness.prose("run", await script(hello), "--agent", "env");
    expect(outcome.code).not.toBe(0);
    expect(outcome.err.join("\n")).toContain('The openai provider configured by environment variables cannot be marked no-training, and the policy of the agent "env" requires it. Add the account as a provider marked no-training, as `prose byom add openai … --no-training`');
    expect(servers.main.requests).toHaveLength(0);
  });

  it("of a project: only that project's runs are refused the providers not marked", async () => {
    await configure((config) => {
      config.fallbackChain = [ids.backup];
      config.projects = { eu: { policy: { requireNoTraining: true } } };
      config.providers.find((provider) => provider.id === ids.backup)!.noTraining = true;
    });
    servers.main.enqueue(openAiCompletion("Hello from main"));
    servers.backup.enqueue(openAiCompletion("Hello for the EU"));
    expect((await harness.prose("run", await script(hello), "--agent", "bot")).out).toEqual(["Hello from main"]);
    const eu = await harness.prose("run", await script(hello), "--agent", "bot", "--project", "eu");
    expect(eu.out).toEqual(["Hello for the EU"]);
    expect(eu.err.join("\n")).toContain('and the policy of the project "eu" requires it');
  });
});

describe("prose check --agent --project", () => {
  const named = (id: string) => `ask the model "Say hello"\n  the model provider is "${id}"\nsay the answer\n`;

  it("is an error for a provider a policy refuses, for the project whose policy it is", async () => {
    await configure((config) => {
      config.projects = { eu: { policy: { requireNoTraining: true } } };
    });
    const file = await script(named(ids.main));
    expect((await harness.prose("check", file, "--agent", "bot")).code).toBe(0);
    const refused = await harness.prose("check", file, "--agent", "bot", "--project", "eu");
    expect(refused.code).toBe(2);
    expect(refused.err.join("\n")).toContain(`The run cannot use the provider "${ids.main}": the provider "${ids.main}" is not marked no-training, and the policy of the project "eu" requires it.`);
    expect(refused.err.join("\n")).toContain(`fix: If its account neither retains nor trains on requests, mark it with \`prose byom edit ${ids.main} --agent bot --no-training\``);
  });

  it("warns of a disabled provider, and of a project default that cannot be used", async () => {
    await configure((config) => {
      config.fallbackChain = [ids.backup];
      config.projects = { staging: { defaultProvider: ids.staging } };
      config.providers.find((provider) => provider.id === ids.staging)!.enabled = false;
    });
    const outcome = await harness.prose("check", await script(named(ids.staging)), "--agent", "bot", "--project", "staging");
    expect(outcome.code).toBe(0);
    const said = outcome.err.join("\n");
    expect(said).toContain(`warning: The default provider of the project "staging" cannot be used: the provider "${ids.staging}" is disabled. Calls that name no provider: they will go to "${ids.main}" of the fallback chain.`);
    expect(said).toContain(`The run cannot use the provider "${ids.staging}": the provider "${ids.staging}" is disabled; the call will go to the fallback chain.`);
    expect((await harness.prose("check", await script(named(ids.staging)), "--agent", "bot", "--project", "staging", "--strict")).code).toBe(2);
  });

  it("asks for --agent with --project", async () => {
    const outcome = await harness.prose("check", await script(hello), "--project", "staging");
    expect(outcome.code).toBe(2);
    expect(outcome.err.join("\n")).toContain("`prose check --project` checks against an agent's providers: it goes with --agent.");
  });
});
