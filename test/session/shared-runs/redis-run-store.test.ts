import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageRecord } from "../../../src/llm/router/usage-record.js";
import { ModelResolutionError } from "../../../src/llm/model-resolver.js";
import { JournalRecordTooLarge } from "../../../src/runtime/journal.js";
import { leaseTiming, setLeaseTiming, type LeaseHolder } from "../../../src/runtime/run-lease.js";
import { newRunRecord, shownStatus, type RunRecord } from "../../../src/runtime/run-store.js";
import { openRedisRunStore, RedisRunStore, RunStoreUnavailableError } from "../../../src/session/shared-runs/redis-run-store.js";
import type { RedisJournal } from "../../../src/session/shared-runs/redis-journal.js";
import { LeaseLost, queueHolder, type SharedRunStore } from "../../../src/session/shared-runs/shared-run-store.js";
import { buildIfStale, repositoryRoot } from "../../support/built-cli.js";
import { freePort, hasRedisServer, type RedisServer, startRedisServer } from "../../support/redis-server.js";

/**
 * The shared run store over a real redis-server (Debian's). Each "process" is a store with its own
 * connection, as two workers have; the kill -9 test runs a real child process. What is waited for
 * is read from Redis or from the store, never a duration.
 */
describe.skipIf(!hasRedisServer)("the shared run store in Redis (skipped: no /usr/bin/redis-server; apt-get install redis-server)", () => {
  let server: RedisServer;
  let inspect: Redis;
  const stores: SharedRunStore[] = [];
  let runCount = 0;
  const savedTiming = { ...leaseTiming };

  beforeAll(async () => {
    server = await startRedisServer();
    inspect = new Redis(server.url);
    // A short lease, so takeovers and renewals happen within the test; renewed often enough that a
    // busy machine's late timer does not lose it.
    setLeaseTiming(1200, 200);
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    inspect.disconnect();
    await server.stop();
    setLeaseTiming(savedTiming.leaseMilliseconds, savedTiming.renewMilliseconds);
  });

  /** A "process": its own store and connection. */
  function processStore(url = server.url): RedisRunStore {
    const store = openRedisRunStore(url, {}) as RedisRunStore;
    stores.push(store);
    return store;
  }

  function newRecord(createdAt = new Date()): RunRecord {
    runCount += 1;
    return newRunRecord(`run-test-${runCount}`, "/scripts/main.prose", { inputs: [], concurrency: 1 }, createdAt);
  }

  function holder(name: string): LeaseHolder {
    return { pid: process.pid, host: hostname(), token: `${name}-${runCount}-${Math.random().toString(36).slice(2)}` };
  }

  /** A new run queued in `store`, then taken by a holder named `name`. */
  async function takenRun(store: RedisRunStore, name: string): Promise<{ record: RunRecord; taker: LeaseHolder }> {
    const record = newRecord();
    await store.createQueued(record);
    const taker = holder(name);
    expect(await store.acquire(record.id, taker, { waitMilliseconds: 0 })).toBe("acquired");
    return { record, taker };
  }

  async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  function usageRecord(runId: string | null, call: number, time = new Date().toISOString()): UsageRecord {
    return {
      time,
      runId,
      agent: "agent",
      project: null,
      providerId: "p1",
      providerType: "openai",
      model: "gpt-4.1-mini",
      inputTokens: 10 * call,
      outputTokens: call,
      latencyMs: 5,
      queuedMs: 0,
      costUsd: 0.001,
      outcome: "ok",
      status: null,
      call,
      attempt: 1,
      fallbackFrom: null,
    };
  }

  it("creates queued runs, reads them as running with the queue as holder, and lists them newest first", async () => {
    const store = processStore();
    const older = newRecord(new Date("2026-12-01T10:00:00Z"));
    const newer = newRecord(new Date("2026-12-01T11:00:00Z"));
    const newest = newRecord(new Date("2026-12-01T12:00:00Z"));
    for (const record of [newer, older, newest]) expect(await store.createQueued(record)).toBe(true);
    expect(await store.createQueued(newer)).toBe(false);
    const read = await store.read(newer.id);
    expect(read?.status).toBe("running");
    expect(read?.holder).toEqual(queueHolder);
    expect(shownStatus(read!)).toBe("running");
    expect(JSON.parse((await inspect.get(`prose:run:${newer.id}:lease`))!)).toEqual({ holder: queueHolder, queued: true });
    expect(await inspect.pttl(`prose:run:${newer.id}:lease`)).toBe(-1);
    expect(await inspect.get(`prose:run:${newer.id}:status`)).toBe("running");
    expect(await inspect.zscore("prose:runs", newer.id)).toBe(String(Date.parse("2026-12-01T11:00:00Z")));
    const listed = (await store.list()).map((record) => record.id).filter((id) => [older.id, newer.id, newest.id].includes(id));
    expect(listed).toEqual([newest.id, newer.id, older.id]);
    expect(await store.list({ limit: 1 })).toHaveLength(1);
    expect(await store.read("run-no-such")).toBeUndefined();
  });

  it("takes a queued run's lease at once; a second process waits out the first's lease, and gets held-elsewhere while it renews", async () => {
    const first = processStore();
    const second = processStore();
    const { record, taker: a } = await takenRun(first, "a");
    const read = await second.read(record.id);
    expect(read?.holder).toEqual(a);
    expect(Date.parse(read!.leaseUntil!)).toBeGreaterThan(Date.now());
    expect(shownStatus(read!)).toBe("running");
    // Three lease times: the first renews all along, so the second never gets it.
    expect(await second.acquire(record.id, holder("b"), { waitMilliseconds: 3 * leaseTiming.leaseMilliseconds })).toBe("held-elsewhere");
    expect(JSON.parse((await inspect.get(`prose:run:${record.id}:lease`))!).holder.token).toBe(a.token);
    expect(first.leases.renewals).toBeGreaterThan(0);
    // The first process stops renewing (as a crashed one): the second takes the lease once it expired.
    first.leases.clear();
    expect(await inspect.pttl(`prose:run:${record.id}:lease`)).toBeGreaterThan(0);
    const b = holder("b");
    expect(await second.acquire(record.id, b, { waitMilliseconds: 10_000 })).toBe("acquired");
    expect(JSON.parse((await inspect.get(`prose:run:${record.id}:lease`))!).holder.token).toBe(b.token);
    await second.release(record.id, b.token);
    expect(await inspect.exists(`prose:run:${record.id}:lease`)).toBe(0);
  });

  it("refuses the writes, journal appends and finish of a worker whose lease another took (LeaseLost)", async () => {
    const first = processStore();
    const second = processStore();
    const { record, taker: a } = await takenRun(first, "a");
    const journal = await first.openJournal(record.id, a.token);
    await first.write({ ...record, output: ["first"] }, a.token);
    await journal.append({ kind: "model", step: "s1", result: "one" }, { durable: true });
    // The first paused past its lease (renewals stopped, the lease expired); the second took over.
    first.leases.clear();
    const b = holder("b");
    expect(await second.acquire(record.id, b, { waitMilliseconds: 10_000 })).toBe("acquired");
    await expect(first.write({ ...record, output: ["late"] }, a.token)).rejects.toBeInstanceOf(LeaseLost);
    await expect(journal.append({ kind: "model", step: "s2", result: "late" }, { durable: true })).rejects.toBeInstanceOf(LeaseLost);
    // Every later append is refused too, without asking Redis.
    await expect(journal.append({ kind: "model", step: "s3", result: "late" }, { durable: true })).rejects.toBeInstanceOf(LeaseLost);
    // A non-durable one resolves all the same (its caller does not wait for it); close reports the loss.
    await expect(journal.append({ kind: "clock", step: "s4", result: 4 })).resolves.toBeUndefined();
    await expect(journal.close()).rejects.toBeInstanceOf(LeaseLost);
    await expect(first.finish({ ...record, status: "done" }, a.token)).rejects.toThrow(/taken over by another worker/);
    await expect(first.release(record.id, a.token)).resolves.toBeUndefined();
    expect(await inspect.lrange(`prose:run:${record.id}:journal`, 0, -1)).toEqual([JSON.stringify({ kind: "model", step: "s1", result: "one" })]);
    expect(JSON.parse((await inspect.get(`prose:run:${record.id}`))!).output).toEqual(["first"]);
    // The second's writes go through; its finish drops the lease.
    await second.write({ ...record, output: ["second"] }, b.token);
    await second.finish({ ...record, status: "done", output: ["second"] }, b.token);
    const done = await first.read(record.id);
    expect(done?.status).toBe("done");
    expect(done?.holder).toBeUndefined();
    expect(await inspect.get(`prose:run:${record.id}:status`)).toBe("done");
    expect(await inspect.exists(`prose:run:${record.id}:lease`)).toBe(0);
  });

  it("keeps the journal in order, durable or not, and skips list entries that are not records", async () => {
    const store = processStore();
    const { record, taker: a } = await takenRun(store, "a");
    const journal = await store.openJournal(record.id, a.token);
    expect(journal.step("s1")).toBeUndefined();
    const quiet = journal.append({ kind: "clock", step: "s1", result: 1 });
    expect(journal.step("s1")?.result).toBe(1);
    await journal.append({ kind: "answer", question: "q1", answer: { value: "yes" } }, { durable: true });
    await journal.append({ kind: "model", step: "s2", result: { text: "hello" } }, { durable: true });
    await quiet;
    await journal.close();
    expect(() => journal.append({ kind: "clock", step: "s9", result: 9 })).toThrow(/closed/);
    const key = `prose:run:${record.id}:journal`;
    expect((await inspect.lrange(key, 0, -1)).map((entry) => JSON.parse(entry).step ?? JSON.parse(entry).question)).toEqual(["s1", "q1", "s2"]);
    // A torn entry, a foreign one, and one of another kind: skipped when the journal is read again.
    await inspect.rpush(key, '{"kind":"model","step":"s3","res', '{"prose":"something else"}', "not json");
    const again = (await store.openJournal(record.id, a.token)) as RedisJournal;
    expect(again.opening).toEqual({ replayable: 3, skippedEntries: 3 });
    expect(again.step("s2")?.result).toEqual({ text: "hello" });
    expect(again.answers.get("q1")).toEqual({ value: "yes" });
    expect(again.step("s3")).toBeUndefined();
    await store.finish({ ...record, status: "done" }, a.token);
  });

  it("reports a refused non-durable append with the next durable one, and with close", async () => {
    const first = processStore();
    const { record, taker: a } = await takenRun(first, "a");
    const journal = await first.openJournal(record.id, a.token);
    first.leases.clear();
    await inspect.set(`prose:run:${record.id}:lease`, JSON.stringify({ holder: holder("thief"), queued: false }), "PX", 60_000);
    // Not durable: resolves all the same.
    await expect(journal.append({ kind: "clock", step: "s1", result: 1 })).resolves.toBeUndefined();
    await expect(journal.append({ kind: "clock", step: "s2", result: 2 }, { durable: true })).rejects.toBeInstanceOf(LeaseLost);
    await expect(journal.close()).rejects.toBeInstanceOf(LeaseLost);
    const { record: other, taker: c } = await takenRun(first, "c");
    const second = await first.openJournal(other.id, c.token);
    first.leases.clear();
    await inspect.del(`prose:run:${other.id}:lease`);
    await expect(second.append({ kind: "clock", step: "s1", result: 1 })).resolves.toBeUndefined();
    await expect(second.close()).rejects.toBeInstanceOf(LeaseLost);
    expect(await inspect.llen(`prose:run:${other.id}:journal`)).toBe(0);
  });

  it("refuses a record larger than a journal line may be, without sending it", async () => {
    const store = processStore();
    const { record, taker: a } = await takenRun(store, "a");
    const journal = await store.openJournal(record.id, a.token);
    expect(() => journal.append({ kind: "model", step: "big", result: "x".repeat(64_000_001) }, { durable: true })).toThrow(JournalRecordTooLarge);
    expect(journal.step("big")).toBeUndefined();
    expect(await inspect.llen(`prose:run:${record.id}:journal`)).toBe(0);
    await store.release(record.id, a.token);
  });

  it("keeps usage records per run and per month: usageOf sums a run's, usageRecords reads them since a time", async () => {
    const store = processStore();
    const record = newRecord();
    const problems: string[] = [];
    const sink = store.usageSink((message) => problems.push(message));
    sink.record(usageRecord(record.id, 1, "2026-11-30T23:59:59.000Z"));
    sink.record(usageRecord(record.id, 2, "2026-12-01T00:00:01.000Z"));
    sink.record({ ...usageRecord(record.id, 3, "2026-12-01T00:00:02.000Z"), outcome: "rate-limit", status: 429, inputTokens: null, outputTokens: null, costUsd: null });
    sink.record(usageRecord(null, 4, "2026-12-01T00:00:03.000Z"));
    await sink.flush();
    expect(problems).toEqual([]);
    expect(await inspect.llen(`prose:run:${record.id}:usage`)).toBe(3);
    expect(await inspect.llen("prose:usage:2026-11")).toBeGreaterThanOrEqual(1);
    expect(await store.usageOf(record.id)).toEqual({ attempts: 3, failedAttempts: 1, inputTokens: 30, outputTokens: 3, costUsd: 0.002, unpricedAttempts: 1 });
    expect(await store.usageOf("run-without-usage")).toBeUndefined();
    const since = (await store.usageRecords("2026-11-30T23:59:59.500Z")).filter((usage) => usage.runId === record.id || usage.call === 4);
    expect(since.map((usage) => usage.call)).toEqual([2, 3, 4]);
    const all = (await store.usageRecords("2026-11-01T00:00:00Z")).filter((usage) => usage.runId === record.id);
    expect(all.map((usage) => usage.call)).toEqual([1, 2, 3]);
    await expect(store.usageRecords("last tuesday")).rejects.toThrow(/not a time/);
  });

  it("queues a run again only from waiting (no lease) or interrupted (running, lease gone)", async () => {
    const store = processStore();
    const record = newRecord();
    await store.createQueued(record);
    // Queued already: neither.
    expect(await store.requeue(record.id, "waiting")).toBe(false);
    expect(await store.requeue(record.id, "interrupted")).toBe(false);
    const a = holder("a");
    await store.acquire(record.id, a, { waitMilliseconds: 0 });
    // Running, its lease held: neither.
    expect(await store.requeue(record.id, "interrupted")).toBe(false);
    await store.finish({ ...record, status: "waiting", questions: [] }, a.token);
    expect(await store.requeue(record.id, "interrupted")).toBe(false);
    expect(await store.requeue(record.id, "waiting")).toBe(true);
    expect(await store.requeue(record.id, "waiting")).toBe(false);
    const queued = await store.read(record.id);
    expect(queued?.status).toBe("running");
    expect(queued?.holder).toEqual(queueHolder);
    expect(await inspect.get(`prose:run:${record.id}:status`)).toBe("running");
    // A worker takes it, then dies: the lease expires, the run reads interrupted, and is queued again.
    const b = holder("b");
    await store.acquire(record.id, b, { waitMilliseconds: 0 });
    await store.write({ ...record, status: "running" }, b.token);
    store.leases.clear();
    await until(async () => (await inspect.exists(`prose:run:${record.id}:lease`)) === 0);
    const interrupted = await store.read(record.id);
    expect(interrupted?.holder).toBeUndefined();
    expect(interrupted?.leaseUntil).toBeUndefined();
    expect(shownStatus(interrupted!)).toBe("interrupted");
    expect(await store.requeue(record.id, "waiting")).toBe(false);
    expect(await store.requeue(record.id, "interrupted")).toBe(true);
    expect((await store.read(record.id))?.holder).toEqual(queueHolder);
    // A queued run ended before any worker took it.
    expect(await store.endQueued({ ...record, status: "failed" })).toBe(true);
    expect(await inspect.exists(`prose:run:${record.id}:lease`)).toBe(0);
    expect((await store.read(record.id))?.status).toBe("failed");
    expect(await store.requeue(record.id, "waiting")).toBe(false);
    expect(await store.requeue(record.id, "interrupted")).toBe(false);
    // endQueued refuses once a worker took it.
    const { record: other, taker: c } = await takenRun(store, "c");
    expect(await store.endQueued({ ...other, status: "failed" })).toBe(false);
    await store.release(other.id, c.token);
  });

  it("renews a held lease past its time, and tells onLost once when another takes it", async () => {
    const store = processStore();
    const record = newRecord();
    await store.createQueued(record);
    const a = holder("a");
    let lost = 0;
    await store.acquire(record.id, a, { waitMilliseconds: 0, onLost: () => (lost += 1) });
    const leaseKey = `prose:run:${record.id}:lease`;
    const renewed = store.leases.renewals;
    // Three lease times later, still this process's.
    await until(() => store.leases.renewals >= renewed + 3 * (leaseTiming.leaseMilliseconds / leaseTiming.renewMilliseconds));
    expect(JSON.parse((await inspect.get(leaseKey))!).holder.token).toBe(a.token);
    expect(await inspect.pttl(leaseKey)).toBeGreaterThan(0);
    // Another takes it (as a worker whose clock jumped would): the next renewal finds it gone.
    await inspect.set(leaseKey, JSON.stringify({ holder: holder("thief"), queued: false }), "PX", 60_000);
    await until(() => lost === 1);
    expect(store.leases.holds(record.id, a.token)).toBe(false);
    const afterLoss = store.leases.renewals;
    await new Promise((resolve) => setTimeout(resolve, 3 * leaseTiming.renewMilliseconds));
    expect(lost).toBe(1);
    expect(store.leases.renewals).toBe(afterLoss);
    expect(JSON.parse((await inspect.get(leaseKey))!).holder.token).toContain("thief");
  });

  it("fails with an English message naming the URL when Redis stops, and never hangs", async () => {
    const own = await startRedisServer();
    const store = processStore(own.url);
    const { record, taker: a } = await takenRun(store, "a");
    await own.stop();
    for (const attempt of [store.read(record.id), store.acquire(record.id, holder("b"), { waitMilliseconds: 60_000 }), store.write(record, a.token), store.openJournal(record.id, a.token)]) {
      const problem = await attempt.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(problem).toBeInstanceOf(RunStoreUnavailableError);
      expect(problem).not.toBeInstanceOf(ModelResolutionError);
      expect((problem as Error).message).toContain(`The run store in Redis (${own.url}) could not be reached`);
      expect((problem as Error).message).toContain("Start Redis there");
      expect((problem as Error).message).toContain("--queue");
    }
    const problems: string[] = [];
    const sink = store.usageSink((message) => problems.push(message));
    sink.record(usageRecord(record.id, 1));
    await sink.flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(own.url);
  });

  it("fails within the commands' bound when Redis stops answering (paused), and works again once it answers", async () => {
    const own = await startRedisServer();
    try {
      const store = processStore(own.url);
      const record = newRecord();
      await store.createQueued(record);
      process.kill(own.pid, "SIGSTOP");
      let problem: unknown;
      try {
        problem = await store.read(record.id).then(
          () => undefined,
          (error: unknown) => error,
        );
      } finally {
        process.kill(own.pid, "SIGCONT");
      }
      expect(problem).toBeInstanceOf(RunStoreUnavailableError);
      // The bound's own words, or ioredis's (both wait 3 s).
      expect((problem as Error).message).toMatch(/^The run store in Redis \(redis:\/\/127\.0\.0\.1:\d+\) could not be reached: (Redis did not answer within 3 s|Command timed out)\. Start Redis there/);
      expect((problem as Error).message).toContain(own.url);
      await until(async () => (await store.read(record.id).catch(() => undefined)) !== undefined);
      expect((await store.read(record.id))?.holder).toEqual(queueHolder);
    } finally {
      await own.stop();
    }
  });

  it("never shows a Redis password: not when Redis is away, nor when it refuses the password", async () => {
    const port = await freePort();
    const away = processStore(`redis://prose:s3cret-pass@127.0.0.1:${port}/0`);
    expect(away.printable).toBe(`Redis at redis://127.0.0.1:${port}/0`);
    const unreachable = (await away.read("run-x").catch((error: unknown) => error)) as Error;
    expect(unreachable).toBeInstanceOf(RunStoreUnavailableError);
    expect(unreachable.message).toContain(`redis://127.0.0.1:${port}/0`);
    expect(unreachable.message).not.toContain("s3cret-pass");
    const guarded = await startRedisServer({ requirePass: "right-password" });
    try {
      const wrong = processStore(`redis://:wrong-password@127.0.0.1:${guarded.port}`);
      const refused = (await wrong.list().catch((error: unknown) => error)) as Error;
      expect(refused).toBeInstanceOf(RunStoreUnavailableError);
      expect(refused.message).toContain(`Redis at redis://127.0.0.1:${guarded.port} refused the user or password given`);
      expect(refused.message).toContain("--queue");
      expect(refused.message).not.toContain("wrong-password");
      const right = processStore(`redis://:right-password@127.0.0.1:${guarded.port}`);
      const record = newRecord();
      expect(await right.createQueued(record)).toBe(true);
      expect(right.printable).not.toContain("right-password");
      await guarded.stop();
      const gone = (await right.read(record.id).catch((error: unknown) => error)) as Error;
      expect(gone).toBeInstanceOf(RunStoreUnavailableError);
      expect(gone.message).toContain(`redis://127.0.0.1:${guarded.port}`);
      expect(gone.message).not.toContain("right-password");
    } finally {
      await guarded.stop();
    }
  });

  it("refuses a --queue URL that is not Redis's, and a PROSE_LEASE_MILLISECONDS that is not a number", async () => {
    const store = processStore("http://127.0.0.1:6379");
    await expect(store.read("run-x")).rejects.toThrow("--queue (http://127.0.0.1:6379) must start with redis:// or rediss://.");
    expect(() => openRedisRunStore(server.url, { PROSE_LEASE_MILLISECONDS: "soon" })).toThrow(/PROSE_LEASE_MILLISECONDS/);
  });

  it("after kill -9 of a worker appending journal and usage records, every journaled call has its one usage record, and another worker takes the run after the lease", async () => {
    buildIfStale();
    const record = newRecord();
    const store = processStore();
    await store.createQueued(record);
    const workerScript = `
      const { openRedisRunStore } = await import(${JSON.stringify(join(repositoryRoot, "dist/src/session/shared-runs/redis-run-store.js"))});
      const store = openRedisRunStore(process.argv[1]);
      const runId = process.argv[2];
      const holder = { pid: process.pid, host: "worker", token: "worker-" + process.pid };
      if ((await store.acquire(runId, holder, { waitMilliseconds: 0 })) !== "acquired") throw new Error("not acquired");
      const journal = await store.openJournal(runId, holder.token);
      const usage = store.usageSink((message) => console.error(message));
      for (let call = 1; ; call += 1) {
        // As the router does: the attempt's usage record first, then the interpreter journals the call.
        usage.record({ time: new Date().toISOString(), runId, agent: "a", project: null, providerId: "p1", providerType: "openai", model: "m", inputTokens: call, outputTokens: 1, latencyMs: 1, queuedMs: 0, costUsd: null, outcome: "ok", status: null, call, attempt: 1, fallbackFrom: null });
        const appended = journal.append({ kind: "model", step: "call#" + call, result: { call } }, { durable: call % 3 === 0 });
        if (call % 3 === 0) await appended;
        if (call === 50) console.log("appending");
      }
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", workerScript, server.url, record.id], {
      cwd: repositoryRoot,
      env: { ...process.env, PROSE_LEASE_MILLISECONDS: "1500" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await until(() => output.includes("appending") || child.exitCode !== null);
    expect(output).toContain("appending");
    // Mid-loop: commands of both kinds are on their way.
    await until(async () => (await inspect.llen(`prose:run:${record.id}:journal`)) > 300);
    child.kill("SIGKILL");
    await exited;
    const journal = (await inspect.lrange(`prose:run:${record.id}:journal`, 0, -1)).map((entry) => (JSON.parse(entry) as { result: { call: number } }).result.call);
    const usage = (await inspect.lrange(`prose:run:${record.id}:usage`, 0, -1)).map((entry) => (JSON.parse(entry) as UsageRecord).call);
    expect(journal.length).toBeGreaterThan(300);
    // Each call's usage once, in order; every journaled call has its usage record (at most the calls in flight have usage without journal).
    expect(usage).toEqual(Array.from({ length: usage.length }, (_, index) => index + 1));
    expect(journal).toEqual(Array.from({ length: journal.length }, (_, index) => index + 1));
    expect(usage.length).toBeGreaterThanOrEqual(journal.length);
    const month = (await inspect.lrange(`prose:usage:${new Date().toISOString().slice(0, 7)}`, 0, -1)).filter((entry) => (JSON.parse(entry) as UsageRecord).runId === record.id);
    expect(month).toHaveLength(usage.length);
    expect(output).not.toMatch(/was not kept/);
    // The dead worker's lease: the run reads running until it expires; then another worker takes it.
    expect((await store.read(record.id))?.holder?.token).toMatch(/^worker-/);
    const next = holder("next");
    expect(await store.acquire(record.id, next, { waitMilliseconds: 10_000 })).toBe("acquired");
    const resumed = await store.openJournal(record.id, next.token);
    expect(resumed.step(`call#${journal.length}`)).toBeDefined();
    await store.release(record.id, next.token);
  }, 120_000);
});
