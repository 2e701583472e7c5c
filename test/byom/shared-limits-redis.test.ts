import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { type BenchServer, startBenchServer } from "../bench/router-support.js";
import { hasRedisServer, type RedisServer, startRedisServer } from "../support/redis-server.js";
import { outcomeOf, TestWorkspace } from "../support/workspace-cli.js";

/**
 * Two `prose run` processes (the built CLI) against one local provider limited to 120 requests a
 * minute, with PROSE_REDIS_URL: they share one budget. The server answers 429 above that rate (a
 * bucket of one second's requests), as providers do; what is asserted is counted at the server
 * and in Redis, never a duration.
 */
const calls = 6;
const script = `${Array.from({ length: calls }, (_, index) => `ask the model "Say ok ${index + 1}"\nsay the answer\n`).join("")}`;

describe.skipIf(!hasRedisServer)("prose run with PROSE_REDIS_URL", () => {
  let redis: RedisServer;
  let server: BenchServer;
  let space: TestWorkspace;
  let scriptFile: string;
  const password = "pr0se-redis-s3cret";

  beforeAll(async () => {
    redis = await startRedisServer({ requirePass: password });
    server = await startBenchServer({ requestsPerMinute: 120 });
    space = await TestWorkspace.create();
    const added = await space.run(["byom", "add", "openai", "--agent", "bot", "--base-url", `${server.url}/v1`, "--model", "gpt-4.1-mini", "--api-key-env", "BOT_KEY", "--rpm", "120"], {
      env: { BOT_KEY: "sk-shared-0123456789abcdef" },
    });
    expect(added.code, added.stderr).toBe(0);
    scriptFile = join(space.folder, "six-calls.prose");
    await writeFile(scriptFile, script);
  });

  afterAll(async () => {
    await server.close();
    await redis.stop();
    await space.dispose();
  });

  const redisUrl = () => `redis://:${password}@127.0.0.1:${redis.port}`;

  it("shares one requests-per-minute budget between two processes: no 429, every ticket from one queue", async () => {
    server.accepted.length = 0;
    server.rejected = 0;
    const env = { BOT_KEY: "sk-shared-0123456789abcdef", PROSE_REDIS_URL: redisUrl() };
    const [first, second] = await Promise.all([outcomeOf(space.spawn(["run", scriptFile, "--agent", "bot"], { env })), outcomeOf(space.spawn(["run", scriptFile, "--agent", "bot"], { env }))]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(first.stdout.trim().split("\n")).toHaveLength(calls);
    // Both processes took their tickets in the one queue of the provider's limits in Redis.
    const inspect = new Redis(redisUrl());
    try {
      const keys = await inspect.keys("prose:{bot}:*");
      const seqKey = keys.find((key) => key.endsWith(":seq"));
      expect(seqKey).toBeDefined();
      expect(Number(await inspect.get(seqKey!))).toBe(2 * calls);
    } finally {
      inspect.disconnect();
    }
    // The server saw every call once, at its limit's rate: none refused.
    expect(server.accepted).toHaveLength(2 * calls);
    expect(server.rejected).toBe(0);
    for (const output of [first.stdout, first.stderr, second.stdout, second.stderr]) expect(output).not.toContain(password);
  });

  it("takes the Redis from workspace.json (\"redis\", no password) with PROSE_REDIS_PASSWORD, and refuses a password written there", async () => {
    const settingsFile = join(space.workspace, "workspace.json");
    await writeFile(settingsFile, JSON.stringify({ version: 1, store: { kind: "local" }, redis: `redis://127.0.0.1:${redis.port}` }));
    const inspect = new Redis(redisUrl());
    try {
      await inspect.flushall();
      const outcome = await space.run(["run", scriptFile, "--agent", "bot"], { env: { BOT_KEY: "sk-shared-0123456789abcdef", PROSE_REDIS_PASSWORD: password } });
      expect(outcome.code, outcome.stderr).toBe(0);
      const seqKey = (await inspect.keys("prose:{bot}:*")).find((key) => key.endsWith(":seq"));
      expect(Number(await inspect.get(seqKey!))).toBe(calls);
      await writeFile(settingsFile, JSON.stringify({ version: 1, store: { kind: "local" }, redis: `redis://:${password}@127.0.0.1:${redis.port}` }));
      const refused = await space.run(["run", scriptFile, "--agent", "bot"], { env: { BOT_KEY: "sk-shared-0123456789abcdef" } });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain("without a password: set the password in PROSE_REDIS_PASSWORD");
      expect(refused.stdout + refused.stderr).not.toContain(password);
    } finally {
      inspect.disconnect();
      await writeFile(settingsFile, JSON.stringify({ version: 1, store: { kind: "local" } }));
    }
  });

  it("fails the run with an English message naming the URL (never its password) when Redis stops mid-run", async () => {
    const own = await startRedisServer({ requirePass: password });
    const url = `redis://:${password}@127.0.0.1:${own.port}`;
    server.accepted.length = 0;
    server.rejected = 0;
    const child = space.spawn(["run", scriptFile, "--agent", "bot"], { env: { BOT_KEY: "sk-shared-0123456789abcdef", PROSE_REDIS_URL: url } });
    const outcome = outcomeOf(child);
    // Redis stops once the run has made its first call.
    while (server.accepted.length === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
    await own.stop();
    const { code, stdout, stderr } = await outcome;
    expect(code).not.toBe(0);
    expect(server.accepted.length).toBeLessThan(calls);
    expect(stderr).toContain(`The shared limits in Redis (redis://127.0.0.1:${own.port}) could not be reached`);
    expect(stderr).toContain("PROSE_REDIS_URL");
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(stdout + stderr).not.toContain(password);
  });

  it("stops at --timeout while Redis does not answer (a stopped process), instead of waiting for it", async () => {
    const own = await startRedisServer();
    process.kill(own.pid, "SIGSTOP");
    try {
      const outcome = await outcomeOf(space.spawn(["run", scriptFile, "--agent", "bot", "--timeout", "0.5"], { env: { BOT_KEY: "sk-shared-0123456789abcdef", PROSE_REDIS_URL: own.url } }));
      expect(outcome.code).toBe(124);
      expect(outcome.stderr).toContain("went past its --timeout of 0.5 s");
    } finally {
      process.kill(own.pid, "SIGCONT");
      await own.stop();
    }
  });
});
