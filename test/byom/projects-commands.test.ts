import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomHarness } from "../support/byom-harness.js";

const key = "sk-test-projects-0123456789abcdefWXYZ";

let harness: ByomHarness;
let first: string;
let second: string;
let third: string;
beforeEach(async () => {
  harness = await ByomHarness.create();
  harness.environment = { KEY: key };
  first = await harness.add("openai", "--api-key-env", "KEY");
  second = await harness.add("anthropic", "--api-key-env", "KEY");
  third = await harness.add("gemini", "--api-key-env", "KEY", "--no-training");
});
afterEach(async () => {
  await harness.dispose();
});

function json(outcome: { out: string[] }): Record<string, unknown> {
  expect(outcome.out).toHaveLength(1);
  return JSON.parse(outcome.out[0]) as Record<string, unknown>;
}

describe("a project's default provider and fallback chain", () => {
  it("are set with --project, shown by list --project as the effective choice, and cleared", async () => {
    expect((await harness.prose("byom", "fallback", third)).code).toBe(0);
    const setDefault = await harness.prose("byom", "default", second, "--project", "staging");
    expect(setDefault.out).toEqual([`The default provider of the project "staging" (agent "default") is now ${second}.`]);
    const setChain = await harness.prose("byom", "fallback", third, "--project", "staging", "--json");
    expect(json(setChain)).toEqual({ agent: "default", project: "staging", fallbackChain: [third] });
    expect(await harness.agentFile()).toMatchObject({ defaultProvider: first, fallbackChain: [third], projects: { staging: { defaultProvider: second, fallbackChain: [third] } } });

    const list = await harness.prose("byom", "list", "--project", "staging");
    expect(list.code).toBe(0);
    expect(list.out.find((line) => line.startsWith(second))).toMatch(/default$/);
    expect(list.out.find((line) => line.startsWith(first))).toMatch(/fallback 2$/);
    expect(list.out.find((line) => line.startsWith(third))).toMatch(/fallback 1, no-training$/);
    expect(list.out.slice(4)).toEqual([
      'project "staging":',
      `  default   ${second}, the project's`,
      `  chain     1. ${third} (project), 2. ${first} (agent default)`,
      "  policy    none",
      "  refused   (none)",
    ]);
    const listed = json(await harness.prose("byom", "list", "--project", "staging", "--json"));
    expect(listed).toMatchObject({
      project: "staging",
      defaultProvider: second,
      defaultFrom: "project",
      fallbackChain: [third, first],
      chain: [
        { position: 1, id: third, from: "project" },
        { position: 2, id: first, from: "agent default" },
      ],
      policy: { requireNoTraining: false },
      refused: [],
    });
    // Without the project, the agent's own routing, and the projects that have settings.
    expect(json(await harness.prose("byom", "list", "--json"))).toMatchObject({ defaultProvider: first, defaultFrom: "agent", fallbackChain: [third], projects: { staging: { defaultProvider: second, fallbackChain: [third] } } });
    expect((await harness.prose("byom", "list")).out.at(-1)).toBe("projects with their own settings: staging (`prose byom list --project NAME` shows one)");

    const clearDefault = await harness.prose("byom", "default", "--project", "staging", "--clear");
    expect(clearDefault.out).toEqual([`The project "staging" now uses the agent's default provider (${first}).`]);
    expect(json(await harness.prose("byom", "list", "--project", "staging", "--json"))).toMatchObject({ defaultProvider: first, defaultFrom: "agent", fallbackChain: [third] });
    expect((await harness.prose("byom", "list", "--project", "staging")).out).toContain(`  default   ${first}, the agent's (the project sets none)`);
    const clearChain = await harness.prose("byom", "fallback", "--project", "staging", "--clear", "--json");
    expect(json(clearChain)).toEqual({ agent: "default", project: "staging", fallbackChain: [], cleared: true });
    // Nothing left: the project's entry is gone.
    expect(await harness.agentFile()).not.toHaveProperty("projects");
    expect((await harness.prose("byom", "default", "--project", "staging", "--clear")).out).toEqual([`The project "staging" had no default provider of its own: it uses the agent's.`]);
  });

  it("shows which providers a project cannot use and why: disabled, or refused by its policy", async () => {
    expect((await harness.prose("byom", "default", third, "--project", "secure")).code).toBe(0);
    const policy = await harness.prose("byom", "policy", "--require-no-training", "--project", "secure");
    expect(policy.out).toEqual(['The policy of the project "secure" of the agent "default" now requires every provider to be marked no-training.']);
    expect(policy.err).toEqual([
      `warning: the provider "${first}" is not marked no-training, and the policy of the project "secure" requires it: runs of the project "secure" will refuse it. If its account neither retains nor trains on requests, mark it with \`prose byom edit ${first} --no-training\`; otherwise use a provider that is marked.`,
      `warning: the provider "${second}" is not marked no-training, and the policy of the project "secure" requires it: runs of the project "secure" will refuse it. If its account neither retains nor trains on requests, mark it with \`prose byom edit ${second} --no-training\`; otherwise use a provider that is marked.`,
    ]);
    expect((await harness.prose("byom", "disable", second)).code).toBe(0);
    const list = await harness.prose("byom", "list", "--project", "secure");
    expect(list.out.slice(4)).toEqual([
      'project "secure":',
      `  default   ${third}, the project's`,
      `  chain     1. ${first} (agent default)`,
      '  policy    every provider must be marked no-training (the policy of the project "secure")',
      `  refused   ${first}: not marked no-training, and the policy of the project "secure" requires it`,
      `            ${second}: disabled`,
    ]);
    const listed = json(await harness.prose("byom", "list", "--project", "secure", "--json")) as { refused: Array<{ id: string; reason: string; fix: string }>; policy: unknown };
    expect(listed.policy).toEqual({ requireNoTraining: true, by: "project" });
    expect(listed.refused.map((entry) => entry.id)).toEqual([first, second]);
    expect(listed.refused[1].fix).toBe(`Enable it with \`prose byom enable ${second}\`, or name another provider.`);
    // The agent's own runs are not bound by the project's policy.
    expect(json(await harness.prose("byom", "list", "--json"))).toMatchObject({ policy: { requireNoTraining: false }, refused: [{ id: second }] });
    expect((await harness.prose("byom", "policy", "--project", "secure")).out[0]).toBe('The policy of the project "secure" of the agent "default": every provider must be marked no-training.');
    expect((await harness.prose("byom", "policy", "--allow-training", "--project", "secure")).out).toEqual(['The policy of the project "secure" of the agent "default" no longer requires providers to be marked no-training.']);
    expect(await harness.agentFile()).toMatchObject({ projects: { secure: { defaultProvider: third } } });
    expect((await harness.agentFile()).projects).not.toHaveProperty("secure.policy");
  });

  it("checks the project name, the ids, a disabled default and --clear's use", async () => {
    expect(await harness.prose("byom", "default", first, "--project", "no/slashes")).toMatchObject({
      code: 2,
      err: ['error: "no/slashes" is not a project name that can have settings: it holds letters, digits, . _ and -, starts with a letter or digit, and has at most 128 characters.', "  For example --project staging."],
    });
    expect((await harness.prose("byom", "fallback", first, "openai-nope", "--project", "p")).err[0]).toContain('has no model provider "openai-nope"');
    expect((await harness.prose("byom", "fallback", first, first, "--project", "p")).err[0]).toBe(`error: "${first}" is named twice in the fallback chain.`);
    await harness.prose("byom", "disable", second);
    expect((await harness.prose("byom", "default", second, "--project", "p")).err[0]).toBe(`error: The provider "${second}" is disabled and cannot be the default.`);
    expect((await harness.prose("byom", "default", "--clear")).err[0]).toBe("error: --clear applies to a project's default.");
    expect((await harness.prose("byom", "default", first, "--project", "p", "--clear")).err[0]).toBe("error: --clear takes no provider id.");
    expect((await harness.prose("byom", "default", "--project", "p")).err[0]).toBe("error: `prose byom default` needs the provider id.");
    expect((await harness.prose("byom", "fallback")).err[0]).toBe("error: `prose byom fallback` needs the provider ids, in order.");
    expect((await harness.prose("byom", "list", "--project", "../x", "--json")).out[0]).toContain('"error"');
    expect(await harness.agentFile()).not.toHaveProperty("projects");
  });

  it("warns, on disable, for each project whose default the provider is", async () => {
    await harness.prose("byom", "default", second, "--project", "staging");
    await harness.prose("byom", "fallback", third, "--project", "staging");
    const disabled = await harness.prose("byom", "disable", second);
    expect(disabled.err).toEqual([`warning: "${second}" is the default provider of the project "staging" and is now disabled; calls that name no provider now go to its fallback chain: ${third} → ${first}.`]);
  });

  it("byom remove takes the provider out of every project's default and chain", async () => {
    await harness.prose("byom", "default", second, "--project", "staging");
    await harness.prose("byom", "fallback", second, third, "--project", "staging");
    await harness.prose("byom", "default", second, "--project", "only-default");
    await harness.prose("byom", "fallback", third, "--project", "keeps");
    const removed = await harness.prose("byom", "remove", second);
    expect(removed.code, removed.err.join("\n")).toBe(0);
    const file = await harness.agentFile();
    expect(file.projects).toEqual({ staging: { fallbackChain: [third] }, keeps: { fallbackChain: [third] } });
    expect((await harness.prose("byom", "list", "--project", "staging")).code).toBe(0);
  });
});
