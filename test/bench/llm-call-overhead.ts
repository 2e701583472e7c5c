import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { checkScript } from "../../src/check/check-script.js";
import { EnvironmentModelResolver } from "../../src/llm/environment-resolver.js";
import { AnswerBook } from "../../src/runtime/questions.js";
import { runProgram } from "../../src/runtime/run-program.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { format, percentile, type BenchReport } from "./measure.js";
import { standardPhrasebook } from "../../stdlib/registry.js";
import { completionBody } from "./bench-completion.js";

/**
 * The per-call cost of an LLM procedure: a Prose script calling `ask the model` N times against
 * a local OpenAI-compatible server, beside the same N calls made directly with the `openai`
 * SDK, in the same run. A call's time is the gap between two requests arriving at the server,
 * so it covers everything the client does between calls (interpreter, resolver, adapter, SDK).
 */
const calls = 2000;
const warmupCalls = 200;
const rounds = 5;


interface ArrivalServer {
  url: string;
  arrivals: number[];
  close(): Promise<void>;
}

async function startServer(): Promise<ArrivalServer> {
  const arrivals: number[] = [];
  const server = http.createServer((request, response) => {
    arrivals.push(performance.now());
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(completionBody) });
      response.end(completionBody);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, arrivals, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function gaps(arrivals: number[], from: number): number[] {
  const times: number[] = [];
  for (let index = from + 1; index < arrivals.length; index++) times.push(arrivals[index] - arrivals[index - 1]);
  return times;
}

async function direct(server: ArrivalServer, count: number): Promise<void> {
  const client = new OpenAI({ apiKey: "sk-bench", baseURL: `${server.url}/v1`, maxRetries: 0 });
  for (let index = 0; index < count; index++) {
    await client.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "Say ok." }], temperature: 0, store: false });
  }
}

async function throughProse(server: ArrivalServer, count: number): Promise<void> {
  const source = `repeat ${count} times\n    ask the model "Say ok."\n        the openai model is "gpt-4.1-mini"\n`;
  const program = checkScript(parseScript(source, "bench.prose").script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  const context: RunContext = {
    say: () => undefined,
    warn: () => undefined,
    now: () => new Date(),
    sleep: async () => undefined,
    readFile: async () => new Uint8Array(),
    writeFile: async () => undefined,
    models: new EnvironmentModelResolver({ OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: `${server.url}/v1` }),
  };
  const result = await runProgram(program, context, new AnswerBook());
  if (result.status !== "done") throw new Error(`the Prose run ended ${result.status}: ${result.error?.message ?? ""}`);
}

export async function llmCallOverhead(): Promise<BenchReport> {
  const directServer = await startServer();
  const proseServer = await startServer();
  try {
    await direct(directServer, warmupCalls);
    await throughProse(proseServer, warmupCalls);
    // Alternating rounds, so that neither side gets a warmer machine than the other.
    const directTimes: number[] = [];
    const proseTimes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let start = directServer.arrivals.length;
      await direct(directServer, calls / rounds);
      directTimes.push(...gaps(directServer.arrivals, start));
      start = proseServer.arrivals.length;
      await throughProse(proseServer, calls / rounds);
      proseTimes.push(...gaps(proseServer.arrivals, start));
    }
    const directP50 = percentile(directTimes, 50);
    const proseP50 = percentile(proseTimes, 50);
    const added = proseP50 - directP50;
    return {
      rows: [
        {
          name: `ask the model, per call (p50, n=${calls})`,
          measured: `${format(proseP50)} ms`,
          baseline: `${format(directP50)} ms openai SDK`,
          ratio: `${added >= 0 ? "+" : "−"}${format(Math.abs(added))} ms`,
          target: "< 1 ms added",
          pass: added < 1,
        },
      ],
      notes: [
        `LLM call p99: Prose ${format(percentile(proseTimes, 99))} ms, direct openai SDK ${format(percentile(directTimes, 99))} ms (local server, keep-alive, ${calls} sequential calls in ${rounds} alternating rounds after ${warmupCalls} warm-up).`,
      ],
    };
  } finally {
    await directServer.close();
    await proseServer.close();
  }
}
