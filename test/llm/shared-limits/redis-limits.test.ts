import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { RedisConnection, SharedLimitsUnavailableError } from "../../../src/llm/shared-limits/redis-connection.js";
import { limitKeys, RedisLimiterSource } from "../../../src/llm/shared-limits/redis-limiter.js";
import { RedisCooldownStore } from "../../../src/llm/shared-limits/redis-cooldown-store.js";
import { cooldownKey } from "../../../src/llm/router/cooldown-store.js";
import type { Permit } from "../../../src/llm/router/rate-limiter-source.js";
import { buildIfStale, repositoryRoot } from "../../support/built-cli.js";
import { freePort, hasRedisServer, type RedisServer, startRedisServer } from "../../support/redis-server.js";

/**
 * The limiter and the cooldown store over a real redis-server (Debian's), each "process" being a
 * source with its own connection, as two `prose run` processes have. No timed assertions: what
 * is waited for is read from Redis (a ticket in the queue, a lease), never a duration.
 */
describe.skipIf(!hasRedisServer)("shared limits in Redis", () => {
  let server: RedisServer;
  let inspect: Redis;
  const connections: RedisConnection[] = [];
  let agentCount = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    inspect = new Redis(server.url);
  });

  afterAll(async () => {
    for (const connection of connections) await connection.close();
    inspect.disconnect();
    await server.stop();
  });

  /** A "process": its own connection and source. */
  function processFor(agent: string, options: { leaseMilliseconds?: number } = {}): RedisLimiterSource {
    const connection = new RedisConnection(server.url);
    connections.push(connection);
    return new RedisLimiterSource(connection, { agent, ...options });
  }

  function newAgent(): string {
    agentCount += 1;
    return `agent${agentCount}`;
  }

  async function until(condition: () => Promise<boolean>): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  function settled<T>(promise: Promise<T>): () => boolean {
    let done = false;
    promise.then(
      () => (done = true),
      () => (done = true),
    );
    return () => done;
  }

  it("keeps one concurrency budget across two processes: the second waits until the first releases", async () => {
    const agent = newAgent();
    const keys = limitKeys("prose:", agent, "p1");
    const first = processFor(agent).limiterFor("p1", { concurrency: 1 })!;
    const second = processFor(agent).limiterFor("p1", { concurrency: 1 })!;
    const held = await first.acquire(0);
    expect(await inspect.zcard(keys.leases)).toBe(1);
    const waiting = second.acquire(0);
    const isSettled = settled(waiting);
    await until(async () => (await inspect.zcard(keys.queue)) === 1);
    // The first still holds the one slot: the second cannot have started.
    expect(isSettled()).toBe(false);
    await held.release();
    const permit = await waiting;
    expect(await inspect.zcard(keys.queue)).toBe(0);
    await permit.release();
    expect(await inspect.zcard(keys.leases)).toBe(0);
  });

  it("spaces requests from two processes by one schedule (--rpm 600: 100 ms apart, read from Redis)", async () => {
    const agent = newAgent();
    const keys = limitKeys("prose:", agent, "p1");
    const a = processFor(agent).limiterFor("p1", { requestsPerMinute: 600 })!;
    const b = processFor(agent).limiterFor("p1", { requestsPerMinute: 600 })!;
    const starts: number[] = [];
    const calls = Array.from({ length: 12 }, async (_, index) => {
      const permit = await (index % 2 === 0 ? a : b).acquire(0);
      starts.push(Number(await inspect.hget(keys.state, "lastRequestAt")));
      await permit.release();
    });
    await Promise.all(calls);
    const last = Number(await inspect.hget(keys.state, "lastRequestAt"));
    const first = Math.min(...starts);
    // 12 requests at 600/min: the last is due at least 11 intervals after the first (1 ms early at most).
    expect(last - first).toBeGreaterThanOrEqual(11 * 100 - 1);
  });

  it("serves waiters first come, first served whichever process made them", async () => {
    const agent = newAgent();
    const keys = limitKeys("prose:", agent, "p1");
    const a = processFor(agent).limiterFor("p1", { concurrency: 1 })!;
    const b = processFor(agent).limiterFor("p1", { concurrency: 1 })!;
    const c = processFor(agent).limiterFor("p1", { concurrency: 1 })!;
    const holder = await a.acquire(0);
    const order: string[] = [];
    const waits: Array<Promise<void>> = [];
    for (const [name, limiter] of [
      ["b1", b],
      ["c1", c],
      ["b2", b],
      ["a1", a],
      ["c2", c],
    ] as const) {
      const queued = await inspect.zcard(keys.queue);
      waits.push(
        limiter.acquire(0).then(async (permit) => {
          order.push(name);
          await permit.release();
        }),
      );
      await until(async () => (await inspect.zcard(keys.queue)) === queued + 1);
    }
    await holder.release();
    await Promise.all(waits);
    expect(order).toEqual(["b1", "c1", "b2", "a1", "c2"]);
  });

  it("takes a cancelled waiter out of the queue, and the next one starts", async () => {
    const agent = newAgent();
    const keys = limitKeys("prose:", agent, "p1");
    const a = processFor(agent).limiterFor("p1", { concurrency: 1 })!;
    const b = processFor(agent).limiterFor("p1", { concurrency: 1 })!;
    const holder = await a.acquire(0);
    const controller = new AbortController();
    const cancelled = b.acquire(0, controller.signal);
    await until(async () => (await inspect.zcard(keys.queue)) === 1);
    controller.abort(new Error("cancelled by the test"));
    await expect(cancelled).rejects.toThrow("cancelled by the test");
    await until(async () => (await inspect.zcard(keys.queue)) === 0);
    const next = a.acquire(0);
    await until(async () => (await inspect.zcard(keys.queue)) === 1);
    await holder.release();
    await (await next).release();
    expect(await inspect.zcard(keys.leases)).toBe(0);
  });

  it("gives a killed process's concurrency slot back when its lease expires (kill -9 of a real process)", async () => {
    buildIfStale();
    const agent = newAgent();
    const keys = limitKeys("prose:", agent, "p1");
    const holderScript = `
      const { RedisConnection } = await import(${JSON.stringify(join(repositoryRoot, "dist/src/llm/shared-limits/redis-connection.js"))});
      const { RedisLimiterSource } = await import(${JSON.stringify(join(repositoryRoot, "dist/src/llm/shared-limits/redis-limiter.js"))});
      const source = new RedisLimiterSource(new RedisConnection(process.argv[1]), { agent: process.argv[2], leaseMilliseconds: 1500 });
      await source.limiterFor("p1", { concurrency: 1 }).acquire(0);
      console.log("held");
      setInterval(() => undefined, 1000);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", holderScript, server.url, agent], { cwd: repositoryRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await until(async () => output.includes("held") || child.exitCode !== null);
    expect(output).toContain("held");
    const waiter = processFor(agent).limiterFor("p1", { concurrency: 1 })!;
    const waiting = waiter.acquire(0);
    const isSettled = settled(waiting);
    await until(async () => (await inspect.zcard(keys.queue)) === 1);
    expect(isSettled()).toBe(false);
    expect(await inspect.zcard(keys.leases)).toBe(1);
    child.kill("SIGKILL");
    await exited;
    // No release came: the slot is back once the dead process's lease has expired.
    const permit = await waiting;
    const leases = await inspect.zrange(keys.leases, 0, -1);
    expect(leases).toHaveLength(1);
    expect(leases[0]).toContain(`-${process.pid}-`);
    await permit.release();
  });

  it("renews a running call's lease, so a long call keeps its slot", async () => {
    const agent = newAgent();
    const keys = limitKeys("prose:", agent, "p1");
    const a = processFor(agent, { leaseMilliseconds: 600 }).limiterFor("p1", { concurrency: 1 })!;
    const held = await a.acquire(0);
    const ticket = (await inspect.zrange(keys.leases, 0, -1))[0];
    const firstEnd = Number(await inspect.zscore(keys.leases, ticket));
    // Past the first lease's end, the lease is still held (renewed by the heartbeat).
    await until(async () => Number((await inspect.time())[0]) * 1000 + Number((await inspect.time())[1]) / 1000 > firstEnd + 200);
    expect(Number(await inspect.zscore(keys.leases, ticket))).toBeGreaterThan(firstEnd);
    await held.release();
  });

  it("corrects the tokens' schedule with the usage reported on release", async () => {
    const agent = newAgent();
    const keys = limitKeys("prose:", agent, "p1");
    const a = processFor(agent).limiterFor("p1", { tokensPerMinute: 6000 })!;
    const permit = await a.acquire(600);
    const before = Number(await inspect.hget(keys.state, "tokensFreeAt"));
    await permit.release(60);
    const after = Number(await inspect.hget(keys.state, "tokensFreeAt"));
    // 540 tokens fewer than estimated, at 100 tokens a second: the next call may start 5.4 s earlier.
    expect(before - after).toBeCloseTo(5400, 3);
  });

  it("shares cooldowns: failures in a row count across processes, and a success closes the circuit for all", async () => {
    const agent = newAgent();
    const first = new RedisCooldownStore(new RedisConnection(server.url), agent);
    const secondConnection = new RedisConnection(server.url);
    connections.push(secondConnection);
    const second = new RedisCooldownStore(secondConnection, agent);
    const key = cooldownKey("p1", "gpt-4.1-mini");
    const now = Date.now();
    expect(await first.recordFailure(key, now)).toBeUndefined();
    expect(await second.recordFailure(key, now)).toBeUndefined();
    const opened = await first.recordFailure(key, now, 45_000);
    expect(opened).toBe(now + 45_000);
    expect(await second.coolingUntil(key, now + 1000)).toBe(now + 45_000);
    expect(await second.coolingUntil(key, now + 46_000)).toBeUndefined();
    expect(await inspect.hget(`prose:{${agent}}:p1:cooldown:gpt-4.1-mini`, "openUntil")).toBe(String(now + 45_000));
    await second.recordSuccess(key);
    expect(await first.coolingUntil(key, now + 1000)).toBeUndefined();
    expect(await second.open(key, now, 10 * 60_000)).toBe(now + 300_000);
    expect(await first.coolingUntil(key, now)).toBe(now + 300_000);
  });

  it("fails a call with an English message naming the URL, never its password, when Redis cannot be reached", async () => {
    const port = await freePort();
    const connection = new RedisConnection(`redis://prose:s3cret-pass@127.0.0.1:${port}/0`);
    connections.push(connection);
    const limiter = new RedisLimiterSource(connection, { agent: "nobody" }).limiterFor("p1", { requestsPerMinute: 60 })!;
    const problem = await limiter.acquire(0).catch((error: unknown) => error);
    expect(problem).toBeInstanceOf(SharedLimitsUnavailableError);
    const message = (problem as Error).message;
    expect(message).toContain(`redis://127.0.0.1:${port}/0`);
    expect(message).toContain("could not be reached");
    expect(message).toContain("PROSE_REDIS_URL");
    expect(message).not.toContain("s3cret-pass");
    const store = new RedisCooldownStore(connection, "nobody");
    await expect(store.coolingUntil(cooldownKey("p1", "m"), Date.now())).rejects.toThrow(/could not be reached/);
  });

  it("fails the waiting calls with the message when Redis stops while they wait", async () => {
    const own = await startRedisServer();
    const connection = new RedisConnection(own.url);
    connections.push(connection);
    const limiter = new RedisLimiterSource(connection, { agent: "stopping" }).limiterFor("p1", { concurrency: 1 })!;
    const held = await limiter.acquire(0);
    const waiting = limiter.acquire(0).catch((error: unknown) => error);
    const ownInspect = new Redis(own.url);
    await until(async () => (await ownInspect.zcard(limitKeys("prose:", "stopping", "p1").queue)) === 1);
    ownInspect.disconnect();
    await own.stop();
    const problem = await waiting;
    expect(problem).toBeInstanceOf(SharedLimitsUnavailableError);
    expect((problem as Error).message).toContain(own.url);
    // The release cannot reach Redis: it resolves all the same (the lease expires there).
    await expect(held.release()).resolves.toBeUndefined();
  });

  it("refuses a password Redis does not accept, without printing it", async () => {
    const guarded = await startRedisServer({ requirePass: "right-password" });
    try {
      const connection = new RedisConnection(`redis://:wrong-password@127.0.0.1:${guarded.port}`);
      connections.push(connection);
      const limiter = new RedisLimiterSource(connection, { agent: "guarded" }).limiterFor("p1", { concurrency: 1 })!;
      const problem = (await limiter.acquire(0).catch((error: unknown) => error)) as Error;
      expect(problem).toBeInstanceOf(SharedLimitsUnavailableError);
      expect(problem.message).toContain(`redis://127.0.0.1:${guarded.port}`);
      expect(problem.message).toContain("refused the user or password given");
      expect(problem.message).not.toContain("wrong-password");
      const good = new RedisConnection(`redis://:right-password@127.0.0.1:${guarded.port}`);
      connections.push(good);
      const permit: Permit = await new RedisLimiterSource(good, { agent: "guarded" }).limiterFor("p1", { concurrency: 1 })!.acquire(0);
      await permit.release();
    } finally {
      await guarded.stop();
    }
  });
});
