import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { type RoutedModels, routedModels } from "../../src/session/routed-models.js";
import { runCancellation as runStopSignal } from "../../src/session/run-cancellation.js";
import type { GenerateRequest } from "../../src/llm/language-model.js";
import { completionBody } from "./bench-completion.js";

/**
 * What the router benchmarks share: a local OpenAI-compatible server (optionally enforcing a
 * requests-per-minute limit the way providers do, with 429s), and a real BYOM workspace (local
 * encrypted secret store, agent file) whose provider points at it, called through the same
 * router `prose run` builds.
 */
export { completionBody };

const tooManyBody = JSON.stringify({ error: { message: "Rate limit reached for requests", type: "requests", param: null, code: "rate_limit_exceeded" } });

export interface BenchServer {
  url: string;
  /** performance.now() of each request accepted (answered 200), kept by a server with a limit only (others serve too many calls to keep them all). */
  accepted: number[];
  /** 429s sent. */
  rejected: number;
  close(): Promise<void>;
}

/**
 * With `requestsPerMinute`, the server keeps a token bucket holding one second's worth of
 * requests, refilled continuously at the limit's rate, and answers 429 (Retry-After: 1) to a
 * request that finds it empty: a sustained rate above the limit is refused, as providers do.
 */
export async function startBenchServer(options: { requestsPerMinute?: number } = {}): Promise<BenchServer> {
  const state: BenchServer = { url: "", accepted: [], rejected: 0, close: async () => undefined };
  const perMillisecond = options.requestsPerMinute === undefined ? 0 : options.requestsPerMinute / 60_000;
  const capacity = options.requestsPerMinute === undefined ? 0 : Math.max(1, options.requestsPerMinute / 60);
  let tokens = capacity;
  let filledAt = performance.now();
  const server = http.createServer((request, response) => {
    const arrived = performance.now();
    request.resume();
    request.on("end", () => {
      if (options.requestsPerMinute !== undefined) {
        tokens = Math.min(capacity, tokens + (arrived - filledAt) * perMillisecond);
        filledAt = arrived;
        if (tokens < 1) {
          state.rejected += 1;
          response.writeHead(429, { "content-type": "application/json", "retry-after": "1", "content-length": Buffer.byteLength(tooManyBody) });
          response.end(tooManyBody);
          return;
        }
        tokens -= 1;
      }
      if (options.requestsPerMinute !== undefined) state.accepted.push(arrived);
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(completionBody) });
      response.end(completionBody);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export interface BenchWorkspace {
  folder: string;
  /** The environment the workspace was made with (its master key, PROSE_HOME). */
  environment: Record<string, string>;
  models: RoutedModels;
  dispose(): void;
}

/** A temporary workspace whose agent "bench" has one openai provider at the server, with these `byom add` limit options. */
export async function benchWorkspace(server: BenchServer, limitOptions: string[]): Promise<BenchWorkspace> {
  const folder = mkdtempSync(join(tmpdir(), "prose-bench-router-"));
  const environment = { PROSE_MASTER_KEY: randomBytes(32).toString("base64"), BENCH_KEY: "sk-bench-0123456789abcdefghij", PROSE_HOME: join(folder, ".prose") };
  const printed: string[] = [];
  const writer = { out: (line: string) => printed.push(line), err: (line: string) => printed.push(line) };
  const code = await main(
    ["byom", "add", "openai", "--agent", "bench", "--base-url", `${server.url}/v1`, "--model", "gpt-4.1-mini", "--api-key-env", "BENCH_KEY", ...limitOptions],
    writer,
    environment,
    { currentDirectory: folder },
  );
  if (code !== 0) throw new Error(`byom add failed: ${printed.join("\n")}`);
  const models = routedModels({ agent: "bench", runId: "run-bench", environment, services: { currentDirectory: folder }, warn: (message) => printed.push(message) });
  return { folder, environment, models, dispose: () => rmSync(folder, { recursive: true, force: true }) };
}

/** The cancellation signal of a run (`prose run` gives one to every call, for Ctrl-C and --timeout). */
const runCancellation = runStopSignal({});

export const benchRequest: GenerateRequest = { messages: [{ role: "user", content: [{ type: "text", text: "Say ok." }] }], temperature: 0, signal: runCancellation.signal };

/** One call through the router, as an LLM procedure makes it: resolve the call's model, then generate. */
export async function routedCall(models: RoutedModels): Promise<void> {
  const model = await models.resolver.resolve({});
  await model.generate(benchRequest);
}
