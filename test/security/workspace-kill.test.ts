import { spawnSync } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { outcomeOf, TestWorkspace, workspaceWithModelServer } from "../support/workspace-cli.js";

// Finding 6 (crashes): a `kill -9` during `byom add/rotate/remove` left a lock that blocked the
// next command for 60 s, a stale secrets.enc.json.<pid>.<hex>.tmp, and orphan secret entries.

let space: TestWorkspace;
let baseUrl: string;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ space, baseUrl, close } = await workspaceWithModelServer());
});
afterEach(() => close());

const key = (label: string) => `sk-kill-${label}-0123456789abcdefghijklmnop`;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe("kill -9 at random moments of byom add, rotate and remove", () => {
  it("leaves nothing that blocks or breaks the next command", async () => {
    const first = await space.add("keeper", baseUrl, key("keeper"));
    expect(first.code, first.stderr).toBe(0);
    const keeper = first.stdout.trim();
    const operations = ["add", "rotate", "remove"] as const;
    // How long each command takes here when it runs to its end; kills land anywhere in its
    // second half (the first is mostly Node starting), so most hit it mid-change.
    const duration = new Map<string, number>();
    let killed = 0;
    for (let round = 0; round < 33; round += 1) {
      const operation = operations[round % 3];
      const config = await space.agent();
      const removable = config.providers.find((provider) => provider.id !== keeper);
      let argv: string[];
      let stdin: string | undefined;
      if (operation === "rotate") {
        argv = ["byom", "rotate", keeper, "--api-key-stdin"];
        stdin = key(`rotate${round}`);
      } else if (operation === "remove" && removable !== undefined) {
        argv = ["byom", "remove", removable.id];
      } else {
        argv = ["byom", "add", "custom", "--name", `n${round}`, "--base-url", baseUrl, "--model", "m", "--api-key-stdin"];
        stdin = key(`add${round}`);
      }
      const kind = argv[1];
      const startedAt = performance.now();
      const child = space.spawn(argv, { ...(stdin === undefined ? {} : { stdin }) });
      const ended = outcomeOf(child);
      const typical = duration.get(kind);
      if (typical === undefined) {
        const outcome = await ended;
        expect(outcome.code, outcome.stderr).toBe(0);
        duration.set(kind, performance.now() - startedAt);
      } else {
        await sleep(typical * (0.5 + Math.random() * 0.55));
        if (child.exitCode === null && child.kill("SIGKILL")) killed += 1;
        await ended;
      }

      // The next command runs at once: with no wait allowed, a lock left behind would fail it.
      const next = await space.run(["byom", "default", keeper], { env: { PROSE_LOCK_WAIT_SECONDS: "0" } });
      expect(next.code, `round ${round} (${operation}): ${next.stderr}`).toBe(0);
      expect(await space.leftovers(), `round ${round} (${operation})`).toEqual([]);
      expect(await space.problems(), `round ${round} (${operation})`).toEqual([]);
    }
    expect(killed).toBeGreaterThan(0);
  }, 240_000);
});

describe("a lock whose process is gone", () => {
  /** The PID of a process that has ended. */
  const deadPid = () => spawnSync(process.execPath, ["-e", "process.pid"]).pid ?? 0;
  const staleLock = (holder: Record<string, unknown>) =>
    writeFile(join(space.workspace, "workspace.lock"), JSON.stringify({ host: hostname(), token: "0123abcd", command: "byom add", since: "2026-01-01T00:00:00.000Z", ...holder }));

  it("is taken over at once by one of 16 commands that find it together, and the others wait their turn", async () => {
    const first = await space.add("keeper", baseUrl, key("keeper"));
    expect(first.code, first.stderr).toBe(0);
    await staleLock({ pid: deadPid() });
    const outcomes = await Promise.all(Array.from({ length: 16 }, (_, index) => space.add(`t${index}`, baseUrl, key(`t${index}`))));
    for (const outcome of outcomes) expect(outcome.code, outcome.stderr).toBe(0);
    expect((await space.agent()).providers).toHaveLength(17);
    expect(await space.problems()).toEqual([]);
    expect(await space.leftovers()).toEqual([]);
  }, 120_000);

  it("is told from a live process that got its PID again (the start time differs)", async () => {
    const first = await space.add("keeper", baseUrl, key("keeper"));
    await staleLock({ pid: process.pid, started: "1" });
    const next = await space.run(["byom", "default", first.stdout.trim()], { env: { PROSE_LOCK_WAIT_SECONDS: "0" } });
    expect(next.code, next.stderr).toBe(0);
    expect(await space.leftovers()).toEqual([]);
  }, 60_000);
});

describe("a removal killed in the middle", () => {
  // What `byom remove` leaves when killed after deleting the secret and before the configuration.
  const interruptedRemoval = async (id: string) => {
    await writeFile(join(space.workspace, "pending-removals.json"), JSON.stringify([{ agent: "default", providerId: id }]));
    await space.store().delete({ agent: "default", providerId: id, version: 1 });
  };

  it("is finished by the next command", async () => {
    const keeper = (await space.add("keeper", baseUrl, key("keeper"))).stdout.trim();
    const doomed = (await space.add("doomed", baseUrl, key("doomed"))).stdout.trim();
    await interruptedRemoval(doomed);
    const next = await space.run(["byom", "default", keeper]);
    expect(next.code, next.stderr).toBe(0);
    expect((await space.agent()).providers.map((provider) => provider.id)).toEqual([keeper]);
    expect(await space.problems()).toEqual([]);
    expect(await space.leftovers()).toEqual([]);
    expect(await readdir(space.workspace)).not.toContain("pending-removals.json");
  }, 60_000);

  it("run again, succeeds", async () => {
    const keeper = (await space.add("keeper", baseUrl, key("keeper"))).stdout.trim();
    const doomed = (await space.add("doomed", baseUrl, key("doomed"))).stdout.trim();
    await interruptedRemoval(doomed);
    const again = await space.run(["byom", "remove", doomed]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(`Removed ${doomed} from the agent "default". The default provider is ${keeper}.`);
    expect(await space.problems()).toEqual([]);
    expect(await readdir(space.workspace)).not.toContain("pending-removals.json");
  }, 60_000);
});
