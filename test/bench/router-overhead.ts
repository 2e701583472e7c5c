import OpenAI from "openai";
import { format, now, percentile, type BenchReport } from "./measure.js";
import { benchWorkspace, routedCall, startBenchServer } from "./router-support.js";

/**
 * What the router adds to a call: the full path an LLM procedure takes (BYOM lookup of the
 * agent file, the secret store's cache, the provider's limiter, the usage record, the spans),
 * beside a direct `openai` SDK call to the same local server in the same run. Sequential calls
 * for the per-call p50/p99; then 32 at a time for throughput.
 */
const sequentialCalls = 2000;
const rounds = 5;
const concurrentCalls = 1500;
const concurrency = 32;
const throughputRounds = 16;

export async function routerOverhead(): Promise<BenchReport> {
  const server = await startBenchServer();
  // Limits that never bind: the limiter is on the path without holding calls back.
  const workspace = await benchWorkspace(server, ["--rpm", "10000000", "--tpm", "1000000000", "--concurrency", "256"]);
  const client = new OpenAI({ apiKey: "sk-bench-0123456789abcdefghij", baseURL: `${server.url}/v1`, maxRetries: 0 });
  const direct = async () => {
    await client.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "Say ok." }], temperature: 0, store: false });
  };
  const routed = () => routedCall(workspace.models);
  const timed = async (call: () => Promise<void>, count: number, into: number[]) => {
    for (let index = 0; index < count; index++) {
      const start = now();
      await call();
      into.push(now() - start);
    }
  };
  const throughput = async (call: () => Promise<void>) => {
    let next = 0;
    const start = now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < concurrentCalls) {
          next += 1;
          await call();
        }
      }),
    );
    return (concurrentCalls / (now() - start)) * 1000;
  };
  try {
    const warm: number[] = [];
    await timed(direct, 300, warm);
    await timed(routed, 300, warm);
    const directTimes: number[] = [];
    const routedTimes: number[] = [];
    // Alternating rounds, so that neither side gets a warmer machine than the other.
    for (let round = 0; round < rounds; round++) {
      await timed(direct, sequentialCalls / rounds, directTimes);
      await timed(routed, sequentialCalls / rounds, routedTimes);
    }
    await throughput(direct);
    await throughput(routed);
    // Rounds in pairs, each pair's order swapped, and the median of the pairs' ratios: a busy moment
    // of the machine falls on both sides of a pair alike.
    const directRates: number[] = [];
    const routedRates: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < throughputRounds; round++) {
      const [first, second] = round % 2 === 0 ? [direct, routed] : [routed, direct];
      const firstRate = await throughput(first);
      const secondRate = await throughput(second);
      const [directRate, routedRate] = round % 2 === 0 ? [firstRate, secondRate] : [secondRate, firstRate];
      directRates.push(directRate);
      routedRates.push(routedRate);
      ratios.push(routedRate / directRate);
    }
    await workspace.models.flush();
    const added = percentile(routedTimes, 50) - percentile(directTimes, 50);
    const directRate = percentile(directRates, 50);
    const routedRate = percentile(routedRates, 50);
    const rateRatio = percentile(ratios, 50);
    return {
      rows: [
        {
          name: `router call, per call (p50, n=${sequentialCalls})`,
          measured: `${format(percentile(routedTimes, 50))} ms`,
          baseline: `${format(percentile(directTimes, 50))} ms openai SDK`,
          ratio: `${added >= 0 ? "+" : "−"}${format(Math.abs(added))} ms`,
          target: "< 1 ms added",
          pass: added < 1,
        },
        {
          name: `router throughput (${concurrency} at a time)`,
          measured: `${format(routedRate)} calls/s`,
          baseline: `${format(directRate)} calls/s openai SDK`,
          ratio: `${rateRatio.toFixed(2)}× direct`,
          target: "≥ 0.90× direct",
          pass: rateRatio >= 0.9,
        },
      ],
      notes: [
        `router call p99: ${format(percentile(routedTimes, 99))} ms through the router, ${format(percentile(directTimes, 99))} ms direct (local server, keep-alive, ${sequentialCalls} sequential calls in ${rounds} alternating rounds after 300 warm-up each; the router's path reads the agent file, the cached credential, the limiter, and appends a usage record).`,
        `router throughput: ${throughputRounds} pairs of rounds of ${concurrentCalls} calls, ${concurrency} at a time (the ratio is the median of the pairs'): ${routedRates.map((rate) => format(rate)).join(", ")} calls/s routed; ${directRates.map((rate) => format(rate)).join(", ")} direct; ratios ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")}.`,
      ],
    };
  } finally {
    workspace.dispose();
    await server.close();
  }
}
