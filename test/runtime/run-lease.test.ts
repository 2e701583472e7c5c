import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { processStartTime } from "../../src/platform/process-start.js";
import { AnswerBook } from "../../src/runtime/questions.js";
import { keeper, leaseTiming, setLeaseTiming } from "../../src/runtime/run-lease.js";
import { holdQueuedRun, newRunId, newRunRecord, readRunRecord, releaseQueuedRun, shownStatus, type RunRecord } from "../../src/runtime/run-store.js";
import { compileSource } from "../../src/session/compile-script.js";
import { planRun } from "../../src/session/durable-run.js";
import type { RunHost } from "../../src/session/run-host.js";
import { SessionError } from "../../src/session/session-error.js";
import { startRun } from "../../src/session/start-run.js";

let folder: string;
const saved = { ...leaseTiming };
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-lease-"));
});
afterEach(() => {
  setLeaseTiming(saved.leaseMilliseconds, saved.renewMilliseconds);
  rmSync(folder, { recursive: true, force: true });
});

const workspace = () => join(folder, "workspace");
const request = (overrides: Partial<Parameters<typeof planRun>[0]> = {}) => ({ workspace: workspace(), inputs: [], defaultConcurrency: 4, now: new Date(), ...overrides });

function host(said: string[], sleep: RunHost["sleep"] = async () => undefined): RunHost {
  return {
    say: (line) => said.push(line),
    warn: () => undefined,
    now: () => new Date(),
    sleep,
    readFile: async (path) => new Uint8Array(readFileSync(path)),
    writeFile: async () => undefined,
  };
}

async function listed(): Promise<Array<{ runId?: string; id?: string; status: string }>> {
  const lines: string[] = [];
  await main(["runs", "list", "--json", "--workspace", workspace()], { out: (line) => lines.push(line), err: () => undefined }, {});
  return (JSON.parse(lines.join("\n")) as { runs: Array<{ runId?: string; id?: string; status: string }> }).runs;
}

const statusOf = (runs: Array<{ runId?: string; id?: string; status: string }>, id: string) => runs.find((run) => (run.runId ?? run.id) === id)?.status;

describe("two runs in one process", () => {
  it("one crashes: it shows interrupted at once, while the other still runs, its lease renewed by the process's one timer", async () => {
    setLeaseTiming(600, 50);
    const path = join(folder, "main.prose");
    writeFileSync(path, 'say "started"\nwait 30 seconds\nsay "finished"\n');
    const program = compileSource(readFileSync(path, "utf8"), path, { loadSource: () => undefined });

    let wake: (() => void) | undefined;
    const said: string[] = [];
    const planA = planRun(request({ file: path }));
    const runA = startRun(planA, program, { host: host(said, () => new Promise<void>((resolve) => (wake = resolve))), answers: new AnswerBook(), environment: {} });
    while (wake === undefined) await new Promise((resolve) => setTimeout(resolve, 5));

    // The server's own code fails as run B starts: the error escapes the run, the process lives on.
    const planB = planRun(request({ file: path }));
    const crashed = await startRun(planB, program, {
      host: host([]),
      answers: new AnswerBook(),
      environment: {},
      onStart: () => {
        throw new Error("the server's table of runs is full");
      },
    }).catch((problem: unknown) => problem);
    expect((crashed as Error).message).toBe("the server's table of runs is full");

    const recordA = readRunRecord(workspace(), planA.id)!;
    const recordB = readRunRecord(workspace(), planB.id)!;
    expect(recordA.holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect(recordA.pid).toBeUndefined();
    expect(shownStatus(recordA)).toBe("running");
    expect(recordB.status).toBe("running");
    expect(recordB.holder).toBeUndefined();
    expect(shownStatus(recordB)).toBe("interrupted");
    // Both are this process's: only the lease tells them apart, in `prose runs list` too.
    const runs = await listed();
    expect(statusOf(runs, planA.id)).toBe("running");
    expect(statusOf(runs, planB.id)).toBe("interrupted");
    // --resume refuses the running one, and takes the interrupted one.
    expect(() => planRun(request({ resume: planA.id }))).toThrow(SessionError);
    expect(() => planRun(request({ resume: planA.id }))).toThrow(`The run ${planA.id} is still running (process ${process.pid}).`);
    expect(planRun(request({ resume: planB.id })).earlier?.id).toBe(planB.id);

    // Well past the first lease's end, A still runs: the keeper renewed it.
    expect(keeper.size).toBe(1);
    expect(keeper.ticking).toBe(true);
    const firstUntil = Date.parse(recordA.leaseUntil!);
    await new Promise((resolve) => setTimeout(resolve, 900));
    const renewed = readRunRecord(workspace(), planA.id)!;
    expect(Date.parse(renewed.leaseUntil!)).toBeGreaterThan(firstUntil);
    expect(renewed.holder).toEqual(recordA.holder);
    expect(shownStatus(renewed)).toBe("running");

    wake!();
    const outcome = await runA;
    expect(outcome.result.status).toBe("done");
    expect(said).toEqual(["started", "finished"]);
    // Ended: the lease is let go of, and no renewal writes over the end.
    expect(keeper.size).toBe(0);
    expect(keeper.ticking).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const ended = readRunRecord(workspace(), planA.id)!;
    expect(ended).toMatchObject({ status: "done" });
    expect(ended.holder).toBeUndefined();
    expect(ended.leaseUntil).toBeUndefined();
  });

  it("a run given another clock (a test's, from 2020) is leased in real time: running while it runs", async () => {
    const path = join(folder, "slow.prose");
    writeFileSync(path, 'wait 5 seconds\nsay "after"\n');
    let wake: (() => void) | undefined;
    const plan = planRun(request({ file: path }));
    const running = startRun(plan, compileSource(readFileSync(path, "utf8"), path, { loadSource: () => undefined }), {
      host: host([], () => new Promise<void>((resolve) => (wake = resolve))),
      answers: new AnswerBook(),
      environment: {},
      now: () => new Date("2020-01-01T00:00:00Z"),
    });
    while (wake === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    const record = readRunRecord(workspace(), plan.id)!;
    expect(record.timings.createdAt).toBe("2020-01-01T00:00:00.000Z");
    expect(shownStatus(record)).toBe("running");
    wake!();
    expect((await running).result.status).toBe("done");
  });

  it("a run that waits on a question lets go of its lease: it shows waiting, not running", async () => {
    const path = join(folder, "ask.prose");
    writeFileSync(path, 'say "for {the customer}"\n');
    const plan = planRun(request({ file: path }));
    const outcome = await startRun(plan, compileSource(readFileSync(path, "utf8"), path, { loadSource: () => undefined }), { host: host([]), answers: new AnswerBook(), environment: {} });
    expect(outcome.result.status).toBe("waiting");
    const record = readRunRecord(workspace(), plan.id)!;
    expect(record.holder).toBeUndefined();
    expect(shownStatus(record)).toBe("waiting");
    expect(keeper.size).toBe(0);
  });
});

describe("a queued run (a server's, before its first attempt)", () => {
  it("is held by a renewed lease, which its attempt takes over; dropped from the queue, it shows interrupted", async () => {
    setLeaseTiming(400, 40);
    const path = join(folder, "main.prose");
    writeFileSync(path, 'say "hello {the n}"\n');
    const queued = await holdQueuedRun(workspace(), newRunRecord(newRunId(new Date()), path, { inputs: ["n=1"], concurrency: 4 }, new Date()));
    const dropped = await holdQueuedRun(workspace(), newRunRecord(newRunId(new Date()), path, { inputs: ["n=2"], concurrency: 4 }, new Date()));
    expect(shownStatus(readRunRecord(workspace(), queued.id)!)).toBe("running");
    expect(keeper.size).toBe(2);
    // Past the first lease's end, still held.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(shownStatus(readRunRecord(workspace(), queued.id)!)).toBe("running");

    await releaseQueuedRun(workspace(), dropped.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(shownStatus(readRunRecord(workspace(), dropped.id)!)).toBe("interrupted");

    const said: string[] = [];
    const plan = planRun(request({ resume: queued.id }));
    const outcome = await startRun(plan, compileSource(readFileSync(path, "utf8"), path, { loadSource: () => undefined }), { host: host(said), answers: new AnswerBook(), environment: {} });
    expect(outcome.result.status).toBe("done");
    expect(said).toEqual(["hello 1"]);
    expect(keeper.size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ended = readRunRecord(workspace(), queued.id)!;
    expect(ended.status).toBe("done");
    expect(ended.timings.attempts).toHaveLength(1);
    expect(ended.holder).toBeUndefined();
  });
});

describe("a run's lease", () => {
  const now = new Date("2026-12-05T05:00:00Z");
  const running = (lease: Partial<RunRecord>): RunRecord => ({ ...newRunRecord("run-20261205T050000-abcdef", "/s/main.prose", { inputs: [], concurrency: 4 }, now), ...lease });
  const until = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

  it("held by a PID now another process's (its start time differs) is interrupted, though unexpired", () => {
    const started = processStartTime(process.pid);
    expect(started).toBeDefined();
    const holder = { pid: process.pid, host: hostname(), token: "t" };
    expect(shownStatus(running({ holder: { ...holder, processStartedAt: started! }, leaseUntil: until(20) }), { now })).toBe("running");
    expect(shownStatus(running({ holder: { ...holder, processStartedAt: String(Number(started) + 12345) }, leaseUntil: until(20) }), { now })).toBe("interrupted");
  });

  it("held by a process gone on this host is interrupted at once", () => {
    const gone = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const pid = Number(gone.stdout.trim());
    expect(shownStatus(running({ holder: { pid, host: hostname(), token: "t" }, leaseUntil: until(20) }), { now })).toBe("interrupted");
  });

  it("held on another host is running until it expires, then interrupted", () => {
    const record = running({ holder: { pid: 4242, host: "elsewhere.example", processStartedAt: "1", token: "t" }, leaseUntil: until(30) });
    expect(shownStatus(record, { now })).toBe("running");
    expect(shownStatus(record, { now: new Date(now.getTime() + 29_000) })).toBe("running");
    expect(shownStatus(record, { now: new Date(now.getTime() + 30_000) })).toBe("interrupted");
  });

  it("an expired lease is interrupted even when its holder lives (it stopped renewing)", () => {
    const holder = { pid: process.pid, host: hostname(), token: "t", ...(processStartTime(process.pid) ? { processStartedAt: processStartTime(process.pid)! } : {}) };
    expect(shownStatus(running({ holder, leaseUntil: until(-1) }), { now })).toBe("interrupted");
  });

  it("an older run.json with only a pid still reads: alive is running, gone is interrupted", () => {
    expect(shownStatus(running({ pid: process.pid }))).toBe("running");
    expect(shownStatus(running({ pid: 77 }), { isAlive: () => false })).toBe("interrupted");
    expect(shownStatus(running({}))).toBe("interrupted");
    expect(shownStatus({ ...running({}), status: "done" })).toBe("done");
  });
});
