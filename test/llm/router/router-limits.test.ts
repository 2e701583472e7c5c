import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenAiLanguageModel } from "../../../src/llm/openai/openai-language-model.js";
import { CooldownRegistry } from "../../../src/llm/router/cooldown-registry.js";
import { LimiterRegistry } from "../../../src/llm/router/limiter-registry.js";
import { ModelRouter } from "../../../src/llm/router/model-router.js";
import { type CallLimits, targetOfModel } from "../../../src/llm/router/route-target.js";
import type { UsageRecord } from "../../../src/llm/router/usage-record.js";
import { completionBody } from "../../bench/bench-completion.js";
import { userText } from "../../support/model-calls.js";

/**
 * The queue under limits, in real time (a few hundred milliseconds): a server that answers each
 * request after 40 ms and counts the requests it holds at once, and answers 429 when more arrive
 * than the limit allows.
 */
interface CountingServer {
  url: string;
  arrivals: number[];
  mostAtOnce: number;
  tooMany: number;
  close(): Promise<void>;
}

async function startCountingServer(allowedAtOnce: number): Promise<CountingServer> {
  let atOnce = 0;
  const state: CountingServer = { url: "", arrivals: [], mostAtOnce: 0, tooMany: 0, close: async () => undefined };
  const server = http.createServer((request, response) => {
    state.arrivals.push(performance.now());
    atOnce += 1;
    state.mostAtOnce = Math.max(state.mostAtOnce, atOnce);
    request.resume();
    const over = atOnce > allowedAtOnce;
    if (over) state.tooMany += 1;
    setTimeout(() => {
      atOnce -= 1;
      if (over) {
        response.writeHead(429, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: "Too many requests at once", type: "requests", param: null, code: null } }));
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(completionBody);
    }, 40);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

let server: CountingServer;
beforeEach(async () => {
  server = await startCountingServer(2);
});
afterEach(async () => {
  await server.close();
});

/** When each request left the client (handed to fetch, after the limiter let it go). */
let departures: number[] = [];

function router(limiters: LimiterRegistry, limits: CallLimits, records: UsageRecord[]): ModelRouter {
  departures = [];
  const departing: typeof fetch = (input, init) => {
    departures.push(performance.now());
    return fetch(input, init);
  };
  const model = new OpenAiLanguageModel({ providerType: "openai", providerId: "openai-limited", model: "gpt-4.1-mini", apiKey: "sk-limits-0123456789", baseURL: `${server.url}/v1`, fetch: departing });
  return new ModelRouter({
    planner: { plan: async () => [targetOfModel(model, "primary", limits)] },
    labels: { agent: "bot" },
    warn: () => undefined,
    usage: { record: (record) => records.push(record) },
    limiters,
    cooldowns: new CooldownRegistry(),
  });
}

describe("limits", () => {
  it("queues a batch beyond the concurrency limit instead of getting 429s, across runs sharing the process", async () => {
    const limiters = new LimiterRegistry();
    const records: UsageRecord[] = [];
    // Two runs at once, like two scripts in one process: together they hold 2 requests at most.
    const runs = [router(limiters, { concurrency: 2 }, records), router(limiters, { concurrency: 2 }, records)];
    const calls = Array.from({ length: 8 }, async (_, index) => (await (await runs[index % 2].resolve({})).generate(userText(`Call ${index}`))).text);
    expect(await Promise.all(calls)).toEqual(Array(8).fill("ok"));
    expect(server.arrivals).toHaveLength(8);
    expect(server.mostAtOnce).toBe(2);
    expect(server.tooMany).toBe(0);
    expect(records.every((record) => record.outcome === "ok")).toBe(true);
    // The later calls waited in the queue, and their records say how long.
    expect(Math.max(...records.map((record) => record.queuedMs))).toBeGreaterThanOrEqual(100);
  });

  it("spreads a batch at the requests-per-minute limit", async () => {
    const records: UsageRecord[] = [];
    const run = router(new LimiterRegistry(), { requestsPerMinute: 1200 }, records);
    const calls = Array.from({ length: 5 }, async () => (await run.resolve({})).generate(userText("Hi")));
    await Promise.all(calls);
    // 1200 a minute: the k-th request leaves about k × 50 ms after the first, never in a burst.
    // Measured as they leave the client (arrival times at the server also carry the machine's
    // scheduling delays); the 25 ms of slack is for the first call's own setup before it left.
    // The limiter's exact spacing is tested with a test clock in provider-limiter.test.ts.
    expect(departures).toHaveLength(5);
    departures.forEach((departure, index) => expect(departure - departures[0]).toBeGreaterThanOrEqual(index * 50 - 25));
    expect(server.arrivals).toHaveLength(5);
    expect(server.tooMany).toBe(0);
  });
});
