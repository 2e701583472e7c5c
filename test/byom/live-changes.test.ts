import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HeldServer, startHeldServer, until } from "../support/held-openai-server.js";
import { outcomeOf, TestWorkspace } from "../support/workspace-cli.js";

/**
 * `prose byom` commands run while a `prose run` process is in the middle of a parallel loop of
 * model calls (the real CLI, both sides): the running process applies each change from its next
 * call, since it re-reads the agent file, and no call is lost.
 */
const keyA = "sk-live-changes-a-0123456789abcdefghij";
const keyB = "sk-live-changes-b-0123456789abcdefghij";

let space: TestWorkspace;
let server: HeldServer;
beforeEach(async () => {
  space = await TestWorkspace.create();
  server = await startHeldServer();
}, 180_000);
afterEach(async () => {
  await server.close();
  await space.dispose();
});

async function addProvider(name: string, prefix: string, key: string, extra: string[] = []): Promise<string> {
  const added = await space.add(name, `${server.url}/${prefix}/v1`, key, extra);
  expect(added.code, added.stderr).toBe(0);
  return added.stdout.trim();
}

async function loopScript(count: number): Promise<{ path: string; items: string[] }> {
  const items = Array.from({ length: count }, (_, index) => `item ${index + 1}`);
  const path = join(space.folder, "loop.prose");
  await writeFile(path, `the items are ${items.map((item) => `"${item}"`).join(", ")}\nprocess each item in the items in parallel as follows\n    ask the model "{the item}"\n    say "{the item}: {the answer}"\nsay "all done"\n`);
  return { path, items };
}

describe("changes made while a parallel loop runs", () => {
  it("disable sends the next calls to the fallback chain with a warning; enable brings them back; nothing is lost", async () => {
    const a = await addProvider("Primary", "a", keyA);
    const b = await addProvider("Backup", "b", keyB);
    expect((await space.run(["byom", "fallback", b])).code).toBe(0);
    const { path, items } = await loopScript(24);
    server.hold = () => true;
    const run = space.spawn(["run", path, "--concurrency", "3"]);
    const finished = outcomeOf(run);

    // Three calls to the default provider in flight.
    await until(() => server.held().length === 3, "three calls are held");
    expect(server.arrived.map((request) => request.prefix)).toEqual(["/a", "/a", "/a"]);
    const disabled = await space.run(["byom", "disable", a]);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stderr).toBe(`warning: "${a}" is the default provider of the agent "default" and is now disabled; calls that name no provider now go to its fallback chain: ${b}.\n`);
    // The calls already sent finish normally; the next ones go to the fallback chain.
    server.release();
    await until(() => server.held().length === 3, "three calls to the fallback are held");
    expect(server.arrived.slice(3).map((request) => request.prefix)).toEqual(["/b", "/b", "/b"]);
    expect(server.arrived.slice(3).every((request) => request.authorization === `Bearer ${keyB}`)).toBe(true);

    const enabled = await space.run(["byom", "enable", a, "--json"]);
    expect(JSON.parse(enabled.stdout)).toEqual({ agent: "default", id: a, enabled: true, changed: true, warnings: [] });
    server.hold = () => false;
    server.release();
    const outcome = await finished;

    expect(outcome.code, outcome.stderr).toBe(0);
    // Every call that started after the enable went to the default provider again.
    expect(server.arrived.slice(6).map((request) => request.prefix)).toEqual(Array.from({ length: items.length - 6 }, () => "/a"));
    expect(server.arrived).toHaveLength(items.length);
    const served = (item: string, index: number) => `${item}: ${index >= 3 && index < 6 ? "b" : "a"}:${item}`;
    expect(outcome.stdout.trim().split("\n")).toEqual([...items.map(served), "all done"]);
    const skipped = outcome.stderr.split("\n").filter((line) => line.includes("was skipped"));
    expect(skipped).toHaveLength(3);
    for (const line of skipped) expect(line).toContain(`The provider "${a}" is disabled. Enable it with \`prose byom enable ${a}\`, or name another provider.`);
    for (const text of [outcome.stdout, outcome.stderr, disabled.stdout, disabled.stderr, enabled.stdout]) {
      expect(text).not.toContain(keyA);
      expect(text).not.toContain(keyB);
    }
  }, 120_000);

  it("edit of the concurrency limit applies to the next call of the running process, without a restart", async () => {
    const a = await addProvider("Limited", "a", keyA, ["--concurrency", "1"]);
    const { path, items } = await loopScript(14);
    server.hold = () => true;
    const run = space.spawn(["run", path, "--concurrency", "6"]);
    const finished = outcomeOf(run);

    // At one call at a time: each call arrives alone, after the one before it was answered.
    for (let answered = 0; answered < 3; answered += 1) {
      await until(() => server.arrived.length === answered + 1 && server.held().length === 1, `call ${answered + 1} is held`);
      server.release();
    }
    await until(() => server.held().length === 1, "call 4 is held");
    expect(server.arrived.map((request) => request.inFlightAtArrival)).toEqual([1, 1, 1, 1]);

    const edited = await space.run(["byom", "edit", a, "--concurrency", "4"]);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toBe(`Changed ${a}:\n  concurrency: 1 → 4\n`);
    // The next call reads the new limit: four calls in flight at once (the run allows six).
    server.release();
    await until(() => server.held().length === 4, "four calls are held at once");
    expect(Math.max(...server.arrived.map((request) => request.inFlightAtArrival))).toBe(4);

    // And removing the limit lets the run's own concurrency (six) through.
    expect((await space.run(["byom", "edit", a, "--concurrency", "none"])).code).toBe(0);
    server.release(1);
    await until(() => server.held().length === 6, "six calls are held at once");
    server.hold = () => false;
    server.release();
    const outcome = await finished;
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(server.arrived).toHaveLength(items.length);
    expect(outcome.stdout.trim().split("\n")).toEqual([...items.map((item) => `${item}: a:${item}`), "all done"]);
  }, 120_000);

  it("edit that lifts a requests-per-minute limit frees the calls already queued behind it", async () => {
    const a = await addProvider("Slow", "a", keyA, ["--rpm", "1"]);
    const { path, items } = await loopScript(4);
    server.hold = () => false;
    const run = space.spawn(["run", path, "--concurrency", "4"]);
    const finished = outcomeOf(run);
    // One call a minute: the first goes at once, the other three queue in the running process.
    await until(() => server.arrived.length === 1, "the first call arrived");
    const edited = await space.run(["byom", "edit", a, "--rpm", "none"]);
    expect(edited.code, edited.stderr).toBe(0);
    // The queued calls look at the limits again while they wait: they go now, not a minute apart.
    const outcome = await finished;
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(server.arrived).toHaveLength(items.length);
    expect(outcome.stdout.trim().split("\n")).toEqual([...items.map((item) => `${item}: a:${item}`), "all done"]);
  }, 30_000);

  it("two commands at once keep both changes", async () => {
    const a = await addProvider("First", "a", keyA);
    const b = await addProvider("Second", "b", keyB);
    const outcomes = await Promise.all([
      space.run(["byom", "edit", a, "--rpm", "100"]),
      space.run(["byom", "edit", b, "--tpm", "5000", "--no-training"]),
      space.run(["byom", "disable", b]),
      space.run(["byom", "policy", "--require-no-training", "--project", "secure"]),
      space.run(["byom", "default", b, "--project", "other"]),
      space.run(["byom", "fallback", a, "--project", "secure"]),
    ]);
    // The default of "other" may have been set before or after the disable: one of the two is refused then.
    const refusedDefault = outcomes[4].code !== 0;
    for (const [index, outcome] of outcomes.entries()) if (index !== 4) expect(outcome.code, outcome.stderr).toBe(0);
    const file = (await space.agent()) as unknown as {
      providers: Array<{ id: string; limits: Record<string, number>; enabled: boolean; noTraining?: boolean }>;
      projects: Record<string, { defaultProvider?: string; fallbackChain?: string[]; policy?: unknown }>;
    };
    const [first, second] = file.providers;
    expect(first).toMatchObject({ id: a, limits: { requestsPerMinute: 100 }, enabled: true });
    expect(second).toMatchObject({ id: b, limits: { tokensPerMinute: 5000 }, enabled: false, noTraining: true });
    expect(file.projects.secure).toEqual({ policy: { requireNoTraining: true }, fallbackChain: [a] });
    if (refusedDefault) {
      expect(outcomes[4].stderr).toContain(`The provider "${b}" is disabled and cannot be the default.`);
      expect(file.projects.other).toBeUndefined();
    } else {
      expect(file.projects.other).toEqual({ defaultProvider: b });
    }
    expect(await space.problems()).toEqual([]);
    expect(await space.leftovers()).toEqual([]);
  }, 120_000);
});
