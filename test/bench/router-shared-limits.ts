import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { LimiterRegistry } from "../../src/llm/router/limiter-registry.js";
import { CooldownRegistry } from "../../src/llm/router/cooldown-registry.js";
import { cooldownKey } from "../../src/llm/router/cooldown-store.js";
import type { CooldownStore } from "../../src/llm/router/cooldown-store.js";
import type { RateLimiterSource } from "../../src/llm/router/rate-limiter-source.js";
import { RedisConnection } from "../../src/llm/shared-limits/redis-connection.js";
import { RedisCooldownStore } from "../../src/llm/shared-limits/redis-cooldown-store.js";
import { RedisLimiterSource } from "../../src/llm/shared-limits/redis-limiter.js";
import { hasRedisServer, startRedisServer } from "../support/redis-server.js";
import { format, now, percentile, type BenchReport } from "./measure.js";
import { type BenchServer, benchWorkspace, startBenchServer } from "./router-support.js";

/**
 * Limits across processes (issue 17): 4 processes × 150 calls through one provider limited to
 * 600 requests/minute, against a local server that answers 429 above that rate. With
 * PROSE_REDIS_URL (a real redis-server on loopback) the processes share one budget; the baseline,
 * in the same run, is the same without Redis (each process keeps its own 600/min). Then the
 * limiter's added latency per call with Redis: an uncontended acquire and release, and the
 * cooldown checks a call makes, beside the in-memory ones.
 */
const processes = 4;
const callsEach = 150;
const limit = 600;
const worker = fileURLToPath(new URL("./shared-limits-worker.js", import.meta.url));

interface WorkerReport {
  ok: number;
  failed: number;
  failures: string[];
}

export async function routerSharedLimits(): Promise<BenchReport> {
  if (!hasRedisServer) throw new Error("redis-server is not installed (apt-get install redis-server)");
  const redis = await startRedisServer();
  try {
    const shared = await acrossProcesses(redis.url);
    const baseline = await acrossProcesses(undefined);
    const latency = await addedLatency(redis.url);
    const total = processes * callsEach;
    return {
      rows: [
        {
          name: `limit across ${processes} processes (${processes} × ${callsEach} calls, --rpm ${limit}, Redis)`,
          measured: `${format(shared.rate)}/min, ${shared.server.rejected} × 429`,
          baseline: `no Redis: ${format(baseline.rate)}/min, ${baseline.server.rejected} × 429`,
          ratio: `${(shared.rate / limit).toFixed(3)}× limit`,
          target: "≥ 0.95× limit, 0 × 429",
          pass: shared.rate / limit >= 0.95 && shared.server.rejected === 0 && shared.ok === total,
        },
        {
          name: "limiter's added latency per call with Redis (acquire, p50)",
          measured: `${format(latency.redisAcquire50)} ms (p90 ${format(latency.redisAcquire90)})`,
          baseline: `in memory: ${format(latency.memoryAcquire50)} ms`,
          ratio: "-",
          target: "< 1 ms p50 on loopback",
          pass: latency.redisAcquire50 < 1,
        },
        {
          name: "cooldown checks per call with Redis (coolingUntil + recordSuccess, p50)",
          measured: `${format(latency.redisCooldown50)} ms`,
          baseline: `in memory: ${format(latency.memoryCooldown50)} ms`,
          ratio: "-",
          target: "-",
          pass: true,
        },
      ],
      notes: [
        `limit across processes: with Redis, ${shared.server.accepted.length} calls answered in ${format(shared.seconds)} s (first to last arrival), ${shared.ok} of ${total} calls succeeded, ${shared.failed} failed${shared.failures.length === 0 ? "" : ` (${shared.failures[0]})`}; without Redis, ${baseline.server.accepted.length} answered 200 in ${format(baseline.seconds)} s, ${baseline.server.rejected} × 429 (the router retried them), ${baseline.ok} succeeded, ${baseline.failed} failed after their retries.`,
        `limiter latency: ${latency.rounds} sequential acquire + release on an idle limiter (concurrency 1000, --rpm 1000000) through redis-server on 127.0.0.1; release awaited; p50 of acquire alone.`,
      ],
    };
  } finally {
    await redis.stop();
  }
}

async function acrossProcesses(redisUrl: string | undefined): Promise<{ server: BenchServer; rate: number; seconds: number; ok: number; failed: number; failures: string[] }> {
  const server = await startBenchServer({ requestsPerMinute: limit });
  const workspace = await benchWorkspace(server, ["--rpm", String(limit)]);
  // The `byom add` made no call; start counting from the processes' first.
  server.accepted.length = 0;
  server.rejected = 0;
  try {
    const environment = { ...process.env, ...workspace.environment, ...(redisUrl === undefined ? {} : { PROSE_REDIS_URL: redisUrl }) };
    const reports = await Promise.all(Array.from({ length: processes }, () => runWorker(workspace.folder, environment)));
    const { accepted } = server;
    const seconds = (accepted[accepted.length - 1] - accepted[0]) / 1000;
    const rate = ((accepted.length - 1) / seconds) * 60;
    return {
      server,
      rate,
      seconds,
      ok: reports.reduce((sum, report) => sum + report.ok, 0),
      failed: reports.reduce((sum, report) => sum + report.failed, 0),
      failures: reports.flatMap((report) => report.failures),
    };
  } finally {
    workspace.dispose();
    await server.close();
  }
}

function runWorker(folder: string, environment: NodeJS.ProcessEnv): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, folder, String(callsEach)], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        resolve(JSON.parse(output.trimEnd().split("\n").pop() ?? "") as WorkerReport);
      } catch {
        reject(new Error(`a benchmark process exited with ${code}: ${output.slice(-500)}`));
      }
    });
  });
}

/** The limiter's added latency per call: sequential acquire + release through Redis, beside in memory (also reported by scale-out). */
export async function addedLatency(redisUrl: string) {
  const rounds = 2000;
  const limits = { concurrency: 1000, requestsPerMinute: 1_000_000 };
  const connection = new RedisConnection(redisUrl);
  const measure = async (source: RateLimiterSource, cooldowns: CooldownStore) => {
    const limiter = source.limiterFor("p1", limits)!;
    const key = cooldownKey("p1", "gpt-4.1-mini");
    const acquires: number[] = [];
    const checks: number[] = [];
    for (let index = 0; index < rounds + 200; index++) {
      const start = now();
      const permit = await limiter.acquire(0);
      const acquired = now();
      await cooldowns.coolingUntil(key, Date.now());
      await cooldowns.recordSuccess(key);
      const checked = now();
      await permit.release(13);
      if (index >= 200) {
        acquires.push(acquired - start);
        checks.push(checked - acquired);
      }
    }
    return { acquire50: percentile(acquires, 50), acquire90: percentile(acquires, 90), cooldown50: percentile(checks, 50) };
  };
  try {
    const redisSource = new RedisLimiterSource(connection, { agent: "latency" });
    const inRedis = await measure(redisSource, new RedisCooldownStore(connection, "latency"));
    redisSource.stop();
    const inMemory = await measure(new LimiterRegistry(), new CooldownRegistry());
    return { rounds, redisAcquire50: inRedis.acquire50, redisAcquire90: inRedis.acquire90, redisCooldown50: inRedis.cooldown50, memoryAcquire50: inMemory.acquire50, memoryCooldown50: inMemory.cooldown50 };
  } finally {
    await connection.close();
  }
}
