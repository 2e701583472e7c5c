import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestWorkspace, workspaceWithModelServer } from "../support/workspace-cli.js";

// Finding 1: commands started at once on one workspace each read, changed and wrote the secret
// file (and the agent file) without a lock between processes, so one's change was lost.

let space: TestWorkspace;
let baseUrl: string;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ space, baseUrl, close } = await workspaceWithModelServer());
});
afterEach(() => close());

const key = (label: string) => `sk-${label}-0123456789abcdefghijklmnop`;

describe("workspace changes from several processes at once", () => {
  it("20 pairs of `byom add` at once: every listed provider has its secret", async () => {
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, index) => space.add(`p${index}`, baseUrl, key(`add${index}`))));
    for (const outcome of outcomes) expect(outcome.code, outcome.stderr).toBe(0);
    const config = await space.agent();
    expect(config.providers).toHaveLength(40);
    const store = space.store();
    for (const provider of config.providers) {
      const index = provider.name.slice(1);
      expect(await store.get({ agent: "default", providerId: provider.id, version: 1 })).toBe(key(`add${index}`));
    }
    expect(await space.problems()).toEqual([]);
    expect(await space.leftovers()).toEqual([]);
  }, 120_000);

  it("add and rotate at once, and rotate and remove at once, never lose the active credential", async () => {
    const first = await space.add("first", baseUrl, key("first"));
    expect(first.code, first.stderr).toBe(0);
    const defaultId = first.stdout.trim();
    const rotate = (label: string) => space.run(["byom", "rotate", defaultId, "--api-key-stdin"], { stdin: key(label) });
    let last = "first";
    for (let round = 0; round < 4; round += 1) {
      const adds = Array.from({ length: 8 }, (_, index) => space.add(`a${round}-${index}`, baseUrl, key(`a${round}-${index}`)));
      const outcomes = await Promise.all([rotate(`r${round}`), ...adds]);
      for (const outcome of outcomes) expect(outcome.code, outcome.stderr).toBe(0);
      expect((await space.agent()).defaultProvider).toBe(defaultId);
      expect(await space.problems()).toEqual([]);
      const removals = outcomes.slice(1).map((outcome) => space.run(["byom", "remove", outcome.stdout.trim()]));
      const removed = await Promise.all([rotate(`s${round}`), ...removals]);
      for (const outcome of removed) expect(outcome.code, outcome.stderr).toBe(0);
      expect(await space.problems()).toEqual([]);
      last = `s${round}`;
    }
    const config = await space.agent();
    expect(config.providers.map((provider) => provider.id)).toEqual([defaultId]);
    expect(await space.store().get({ agent: "default", providerId: defaultId, version: config.providers[0].credentialVersion ?? 0 })).toBe(key(last));
    expect(await space.leftovers()).toEqual([]);
  }, 120_000);
});
