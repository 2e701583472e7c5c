import { collectGarbage, format, pause, type BenchReport } from "./measure.js";
import { benchWorkspace, routedCall, startBenchServer } from "./router-support.js";

/**
 * Memory under a long run: 20,000 calls through the router (8 at a time, limits on, usage records
 * appended, the run's cancellation signal on every call), with the process's RSS after a
 * 2,000-call warm-up and at the end, each after a full garbage collection. Nothing a call leaves
 * behind (queue entries, timers, listeners, records) may accumulate.
 */
const calls = 20_000;
const warmup = 6_000;
const concurrency = 8;

export async function routerMemory(): Promise<BenchReport> {
  const server = await startBenchServer();
  const workspace = await benchWorkspace(server, ["--rpm", "10000000", "--concurrency", "16"]);
  const run = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next += 1;
          await routedCall(workspace.models);
        }
      }),
    );
    await workspace.models.flush();
    await pause();
    collectGarbage();
  };
  const megabytes = () => process.memoryUsage().rss / 1024 / 1024;
  const heapMegabytes = () => process.memoryUsage().heapUsed / 1024 / 1024;
  try {
    await run(warmup);
    const start = megabytes();
    const startHeap = heapMegabytes();
    const samples: number[] = [];
    for (let part = 0; part < 10; part++) {
      await run(calls / 10);
      samples.push(megabytes());
    }
    const endHeap = heapMegabytes();
    const end = samples[samples.length - 1];
    const growth = (end - start) / start;
    return {
      rows: [
        {
          name: `router memory (RSS, ${format(calls)} calls)`,
          measured: `${format(end)} MB at the end`,
          baseline: `${format(start)} MB at the start`,
          ratio: `${growth >= 0 ? "+" : "−"}${(Math.abs(growth) * 100).toFixed(1)}%`,
          target: "flat (≤ +10%)",
          pass: growth <= 0.1,
        },
      ],
      notes: [`router memory: RSS after each 2,000 calls: ${samples.map((sample) => format(sample)).join(", ")} MB (start ${format(start)} MB, after ${format(warmup)} warm-up calls); JavaScript heap in use ${format(startHeap)} MB at the start, ${format(endHeap)} MB at the end.`],
    };
  } finally {
    workspace.dispose();
    await server.close();
  }
}
