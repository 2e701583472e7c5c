import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { hasRedisServer, startRedisServer } from "../support/redis-server.js";
import { allEnded, callsScript, runName, startQueueCluster } from "../support/queue-cluster.js";
import { format, type BenchReport } from "./measure.js";
import { addedLatency } from "./router-shared-limits.js";

/**
 * Scale-out: 400 runs of a script with 3 model calls each (a local model server answering after
 * 200 ms), started at once through `prose serve --queue` and run by 1, 2 and 4 `prose worker`
 * processes (the built CLI, each with --concurrency 10), all on one redis-server on loopback.
 * Runs per second from the first POST to the last run ended (read from the store); one worker is
 * the baseline. Then the limiter's added latency per call with Redis (router-shared-limits.ts's
 * measure).
 *
 * Why 10 at once per worker: 400 runs then fill whole rounds of 10, 20 and 40 slots (with 16, the
 * 4 workers' 64 slots leave a last round of 16 runs, and ideal scaling is 3.57×, not 4×); and the
 * 4 workers' CPU (about 11 ms per run each), the server's, Redis's and the model server's fit on
 * a 2-core machine, where workers on machines of their own would not share. The same rounds with
 * --concurrency 16 are measured too, and given in the notes.
 */
const RUNS = 400;
const CALLS = 3;
const MODEL_DELAY_MS = 200;
const CONCURRENCY = 10;
const ALSO_CONCURRENCY = 16;
const WORKER_COUNTS = [1, 2, 4];
const TARGETS: Record<number, number> = { 2: 1.8, 4: 3.2 };

/** CPU seconds every process of the machine has used since boot (Linux: /proc/stat, busy time of all cores). */
function machineCpuSeconds(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / 100;
}

interface Round {
  workers: number;
  seconds: number;
  rate: number;
  postSeconds: number;
  /** CPU seconds of redis-server, the server, the workers and this process (the model server's) over the measured time. */
  cpu: { redis: number; server: number; workers: number; harness: number; total: number; others: number };
}

async function round(workers: number, concurrency: number): Promise<Round> {
  const cluster = await startQueueCluster({ workers, concurrency, scripts: { "calls.prose": callsScript(CALLS) }, modelDelayMilliseconds: MODEL_DELAY_MS });
  try {
    // A few runs first, so that every worker has loaded its code and connections.
    const warm = await Promise.all(Array.from({ length: workers * 4 }, (_, index) => cluster.start("calls.prose", { name: `warm-${index}` })));
    await allEnded(cluster, warm, 60_000);
    const requestsBefore = cluster.models.total();
    const cpuBefore = cluster.cpuSeconds();
    const ownBefore = process.cpuUsage();
    const machineBefore = machineCpuSeconds();
    const start = Date.now();
    const ids = await Promise.all(Array.from({ length: RUNS }, (_, index) => cluster.start("calls.prose", { name: runName(index) })));
    const posted = Date.now();
    const end = await allEnded(cluster, ids, 600_000);
    const own = process.cpuUsage(ownBefore);
    const cpuAfter = cluster.cpuSeconds();
    const cpu = { redis: cpuAfter.redis - cpuBefore.redis, server: cpuAfter.server - cpuBefore.server, workers: cpuAfter.workers - cpuBefore.workers, harness: (own.user + own.system) / 1e6, total: 0, others: 0 };
    cpu.total = cpu.redis + cpu.server + cpu.workers + cpu.harness;
    cpu.others = Math.max(0, machineCpuSeconds() - machineBefore - cpu.total);
    const statuses = await cluster.statuses(ids);
    const notDone = statuses.filter((status) => status !== "done").length;
    if (notDone > 0) throw new Error(`${notDone} of ${RUNS} runs did not end done with ${workers} workers; first: ${(await cluster.run(ids[statuses.findIndex((status) => status !== "done")])).status}\n${cluster.logs()}`);
    const requests = cluster.models.total() - requestsBefore;
    if (requests !== RUNS * CALLS) throw new Error(`${RUNS} runs made ${requests} model calls, not ${RUNS * CALLS}`);
    // The API shows what the store says.
    const shown = await cluster.run(ids[RUNS - 1]);
    if (shown.status !== "done") throw new Error(`GET /api/runs/${ids[RUNS - 1]} says ${shown.status}, the store says done`);
    const seconds = (end - start) / 1000;
    return { workers, seconds, rate: RUNS / seconds, postSeconds: (posted - start) / 1000, cpu };
  } finally {
    await cluster.stop();
  }
}

export async function scaleOut(): Promise<BenchReport> {
  if (!hasRedisServer) throw new Error("redis-server is not installed (apt-get install redis-server)");
  const rounds: Round[] = [];
  for (const workers of WORKER_COUNTS) rounds.push(await round(workers, CONCURRENCY));
  const also: Round[] = [];
  for (const workers of WORKER_COUNTS) also.push(await round(workers, ALSO_CONCURRENCY));
  const redis = await startRedisServer();
  let latency: Awaited<ReturnType<typeof addedLatency>>;
  try {
    latency = await addedLatency(redis.url);
  } finally {
    await redis.stop();
  }
  const one = rounds[0];
  const ideal = (CONCURRENCY * 1000) / (CALLS * MODEL_DELAY_MS);
  return {
    rows: [
      ...rounds.slice(1).map((measured) => {
        const speedup = measured.rate / one.rate;
        return {
          name: `scale-out: ${RUNS} runs × ${CALLS} calls (200 ms model), ${measured.workers} workers`,
          measured: `${format(measured.rate)} runs/s (${format(measured.seconds)} s)`,
          baseline: `1 worker ${format(one.rate)} runs/s (${format(one.seconds)} s)`,
          ratio: `${format(speedup)}×`,
          target: `≥ ${TARGETS[measured.workers]}×`,
          pass: speedup >= TARGETS[measured.workers],
        };
      }),
      {
        name: "scale-out: limiter's added latency per call with Redis (acquire, p50)",
        measured: `${format(latency.redisAcquire50)} ms (p90 ${format(latency.redisAcquire90)})`,
        baseline: `in memory: ${format(latency.memoryAcquire50)} ms`,
        ratio: "-",
        target: "< 1 ms p50 on loopback",
        pass: latency.redisAcquire50 < 1,
      },
    ],
    notes: [
      `scale-out: each worker --concurrency ${CONCURRENCY} (at most ${format(ideal)} runs/s per worker with ${CALLS} × ${MODEL_DELAY_MS} ms calls); ${rounds.map((measured) => `${measured.workers} worker${measured.workers === 1 ? "" : "s"}: ${format(measured.rate)} runs/s, ${format(measured.seconds)} s, the ${RUNS} POSTs took ${format(measured.postSeconds)} s, ${format(measured.cpu.total)} CPU s = ${format(measured.cpu.total / measured.seconds)} cores busy (workers ${format(measured.cpu.workers)}, server ${format(measured.cpu.server)}, redis ${format(measured.cpu.redis)}, this process with the model server ${format(measured.cpu.harness)}), other processes of the machine ${format(measured.cpu.others / measured.seconds)} cores busy`).join("; ")}; ${cpus().length} cores, shared with whatever else runs. Runs/s from the first POST to the last run ended in the store; every run done, ${RUNS * CALLS} model calls each time.`,
      `scale-out with --concurrency ${ALSO_CONCURRENCY}: ${also.map((measured) => `${measured.workers} worker${measured.workers === 1 ? "" : "s"} ${format(measured.rate)} runs/s (${format(measured.rate / also[0].rate)}×, ${format(measured.cpu.total / measured.seconds)} cores busy, others ${format(measured.cpu.others / measured.seconds)})`).join(", ")}.`,
      `scale-out: limiter latency, ${latency.rounds} sequential acquire + release on an idle limiter through redis-server on 127.0.0.1: p50 ${format(latency.redisAcquire50)} ms, p90 ${format(latency.redisAcquire90)} ms (in memory p50 ${format(latency.memoryAcquire50)} ms); cooldown checks p50 ${format(latency.redisCooldown50)} ms.`,
    ],
  };
}
