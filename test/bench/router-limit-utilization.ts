import OpenAI from "openai";
import { format, type BenchReport } from "./measure.js";
import { benchWorkspace, routedCall, startBenchServer } from "./router-support.js";

/**
 * Client-side limits: 300 calls started at once (a parallel loop) through a provider configured
 * with --rpm 600, against a local server that answers 429 above 600 requests a minute. The router
 * should queue them so that they arrive at the limit's rate (≥ 0.95 of it) and the server never
 * has to refuse one. Beside it, the same 300 calls straight through the `openai` SDK.
 */
const calls = 300;
const limit = 600;

export async function routerLimitUtilization(): Promise<BenchReport> {
  const server = await startBenchServer({ requestsPerMinute: limit });
  const workspace = await benchWorkspace(server, ["--rpm", String(limit)]);
  const baselineServer = await startBenchServer({ requestsPerMinute: limit });
  try {
    await Promise.all(Array.from({ length: calls }, () => routedCall(workspace.models)));
    await workspace.models.flush();
    const { accepted, rejected } = server;
    const seconds = (accepted[accepted.length - 1] - accepted[0]) / 1000;
    // n requests spread evenly at the limit span (n − 1) intervals.
    const achieved = ((accepted.length - 1) / seconds) * 60;
    const fraction = achieved / limit;

    const client = new OpenAI({ apiKey: "sk-bench", baseURL: `${baselineServer.url}/v1`, maxRetries: 0 });
    await Promise.all(
      Array.from({ length: calls }, () => client.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "Say ok." }] }).catch(() => undefined)),
    );
    return {
      rows: [
        {
          name: `limit utilization (${calls} calls, --rpm ${limit})`,
          measured: `${format(achieved)}/min, ${rejected} × 429`,
          baseline: `no limiter: ${baselineServer.rejected} × 429`,
          ratio: `${fraction.toFixed(3)}× limit`,
          target: "≥ 0.95× limit, 0 × 429",
          pass: fraction >= 0.95 && rejected === 0 && accepted.length === calls,
        },
      ],
      notes: [
        `limit utilization: ${accepted.length} calls answered in ${format(seconds)} s (first to last arrival), the server's bucket holds 1 s of requests (${limit / 60}) and refills at ${limit}/min; straight through the SDK, ${baselineServer.rejected} of ${calls} calls got 429.`,
      ],
    };
  } finally {
    workspace.dispose();
    await server.close();
    await baselineServer.close();
  }
}
