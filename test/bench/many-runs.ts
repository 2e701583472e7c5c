import { spawn } from "node:child_process";
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keeper } from "../../src/runtime/run-lease.js";
import type { Answer } from "../../src/runtime/questions.js";
import { AnswerBook } from "../../src/runtime/questions.js";
import { compileSource } from "../../src/session/compile-script.js";
import { planRun } from "../../src/session/durable-run.js";
import type { RunHost } from "../../src/session/run-host.js";
import { startRun } from "../../src/session/start-run.js";
import { collectGarbage, format, now, percentile, repositoryRoot, type BenchReport } from "./measure.js";

const RUNS = 200;
const CALLS = 5;
const ANSWER_AFTER_MS = 50;
const TARGET_RATIO = 5;
const TARGET_WAITING_BYTES = 200 * 1024;

const completion = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1741569952,
  model: "gpt-4o-mini-2024-07-18",
  choices: [{ index: 0, message: { role: "assistant", content: "an answer", refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 19, completion_tokens: 3, total_tokens: 22 },
});

/** Chat completions on 127.0.0.1 that answer each call after 50 ms; counts the calls. */
async function startSlowModel(): Promise<{ url: string; calls(): number; close(): Promise<void> }> {
  let calls = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      calls += 1;
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(completion) });
        response.end(completion);
      }, ANSWER_AFTER_MS);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.maxConnections = 10_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls: () => calls, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

function host(askPerson?: RunHost["askPerson"]): RunHost {
  return {
    say: () => undefined,
    warn: () => undefined,
    now: () => new Date(),
    sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
    readFile: async (path) => new Uint8Array(readFileSync(path)),
    writeFile: async () => undefined,
    ...(askPerson ? { askPerson } : {}),
  };
}

/**
 * `prose serve`'s runtime under load: 200 runs started at once in one process, each making 5
 * model calls to a local server that answers after 50 ms, beside the same 200 runs as 200
 * `prose run` processes started at once (the baseline). And 200 runs waiting on a question in the
 * one process, a person's answer pending (the run holds its lease and its journal): the RSS and
 * heap each costs, and one renewal of their leases. The runs are started through the session
 * service (planRun, startRun) without HTTP: the runtime's share; `serve` (serve-throughput.ts)
 * measures the same through the API, where a question ends the attempt instead.
 */
export async function manyRuns(): Promise<BenchReport> {
  const folder = mkdtempSync(join(tmpdir(), "prose-bench-runs-"));
  const model = await startSlowModel();
  try {
    const environment = { OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: `${model.url}/v1`, PROSE_HOME: join(folder, "home"), PATH: process.env.PATH ?? "" };
    mkdirSync(environment.PROSE_HOME, { recursive: true });
    const script = join(folder, "five-calls.prose");
    writeFileSync(script, `${Array.from({ length: CALLS }, (_, call) => `ask the model "question ${call + 1} for {the n}"`).join("\n")}\nsay "done {the n}"\n`);
    const program = compileSource(readFileSync(script, "utf8"), script, { loadSource: () => undefined });

    const inProcess = async (workspace: string, count: number): Promise<{ seconds: number; starts: number[]; statuses: string[] }> => {
      const starts: number[] = [];
      const began = now();
      const outcomes = await Promise.all(
        Array.from({ length: count }, (_, index) => {
          const asked = now();
          const plan = planRun({ workspace, file: script, inputs: [`n=${index}`], defaultConcurrency: 4, now: new Date() });
          return startRun(plan, program, { host: host(), answers: new AnswerBook(), environment, onStart: () => starts.push(now() - asked) });
        }),
      );
      return { seconds: (now() - began) / 1000, starts, statuses: outcomes.map((outcome) => outcome.result.status) };
    };

    // First, on a fresh heap: the runs waiting on a question (later, memory freed by the 200 runs
    // would be reused and RSS would not grow at all).
    const waiting = await waitingRunCost(join(folder, "waiting"), environment);
    // Warm-up: the code paths loaded and compiled once.
    await inProcess(join(folder, "warm"), 10);
    const callsBefore = model.calls();
    const served = await inProcess(join(folder, "served"), RUNS);
    const notDone = served.statuses.filter((status) => status !== "done").length;
    if (notDone > 0) throw new Error(`${notDone} of the ${RUNS} runs in one process did not end done`);
    if (model.calls() - callsBefore !== RUNS * CALLS) throw new Error(`the runs in one process made ${model.calls() - callsBefore} model calls, not ${RUNS * CALLS}`);

    const processes = await asProcesses(script, join(folder, "processes"), environment);
    const servedRate = RUNS / served.seconds;
    const processRate = RUNS / processes.seconds;
    const ratio = servedRate / processRate;

    return {
      rows: [
        {
          name: `${RUNS} runs × ${CALLS} model calls (50 ms), one process`,
          measured: `${format(servedRate)} runs/s`,
          baseline: `${format(processRate)} runs/s as ${RUNS} prose run`,
          ratio: `${format(ratio)}×`,
          target: `≥ ${TARGET_RATIO}×`,
          pass: ratio >= TARGET_RATIO,
        },
        {
          name: "RSS per run waiting on a question",
          measured: `${format(waiting.bytesPerRun / 1024)} KB`,
          baseline: "-",
          ratio: "-",
          target: "< 200 KB",
          pass: waiting.bytesPerRun < TARGET_WAITING_BYTES,
        },
      ],
      notes: [
        `many runs: ${RUNS} runs in one process took ${format(served.seconds)} s (${RUNS * CALLS} model calls at ${ANSWER_AFTER_MS} ms each; the floor is ${(CALLS * ANSWER_AFTER_MS) / 1000} s); as ${RUNS} \`prose run\` processes started at once, ${format(processes.seconds)} s.`,
        `many runs: startRun until the run's journal is open and its run.json written: p50 ${format(percentile(served.starts, 50))} ms, p99 ${format(percentile(served.starts, 99))} ms, all ${RUNS} started at once (the session service, not HTTP: the serve benchmark measures the API's POST /api/runs).`,
        `many runs: ${RUNS} more runs waiting on a question beside ${RUNS} waiting already (a person's answer pending, leases held): RSS +${format(waiting.rssBytes / 1024 / 1024)} MB (${format(waiting.bytesPerRun / 1024)} KB a run), heap +${format(waiting.heapBytes / 1024 / 1024)} MB (${format(waiting.heapBytes / RUNS / 1024)} KB a run). Renewing the ${2 * RUNS} leases at once (the process's one timer, every 10 s) took ${format(waiting.renewal.milliseconds)} ms, the event loop delayed ${format(waiting.renewal.maxDelayMilliseconds)} ms at most (run.json written atomically on the thread pool).`,
      ],
    };
  } finally {
    await model.close();
    rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/** The same runs, each a `prose run` process, all started at once. */
async function asProcesses(script: string, workspace: string, environment: Record<string, string>): Promise<{ seconds: number }> {
  const cli = join(repositoryRoot, "bin", "prose.js");
  const began = now();
  // Every process is waited for, even when one fails, so that none is still writing when the folder is removed.
  const settled = await Promise.allSettled(
    Array.from(
      { length: RUNS },
      (_, index) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [cli, "run", script, "--workspace", workspace, "--input", `n=${index}`], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
          child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
          child.on("error", reject);
          // "close", not "exit": the output may still be on its way when the process has exited.
          child.on("close", (code) => (code === 0 && stdout === `done ${index}\n` ? resolve() : reject(new Error(`prose run exited ${code}: ${stdout} ${stderr}`))));
        }),
    ),
  );
  const failed = settled.filter((outcome) => outcome.status === "rejected");
  if (failed.length > 0) throw new Error(`${failed.length} of the ${RUNS} prose run processes failed; the first: ${String((failed[0] as PromiseRejectedResult).reason)}`);
  return { seconds: (now() - began) / 1000 };
}

/** 200 runs waiting on a person's answer in this process (askPerson pending): what they add to RSS and heap, after a full collection. */
async function waitingRunCost(workspace: string, environment: Record<string, string>): Promise<{ rssBytes: number; heapBytes: number; bytesPerRun: number; renewal: { milliseconds: number; maxDelayMilliseconds: number } }> {
  const source = 'ask the model "a question for {the n}"\nsay "approved by {the approver}"\n';
  const file = join(workspace, "approve.prose");
  mkdirSync(workspace, { recursive: true });
  writeFileSync(file, source);
  const program = compileSource(source, file, { loadSource: () => undefined });
  const answers: Array<(answer: Answer) => void> = [];
  const start = (index: number) => {
    const plan = planRun({ workspace, file, inputs: [`n=${index}`], defaultConcurrency: 4, now: new Date() });
    return startRun(plan, program, { host: host(() => new Promise<Answer>((resolve) => answers.push(resolve))), answers: new AnswerBook(), environment });
  };
  // A first 200 wait, bringing the heap (its young generation, the code) to the load of 200 runs
  // starting at once; then 200 more wait beside them, and what those add is measured.
  const settle = async (count: number): Promise<NodeJS.MemoryUsage> => {
    while (answers.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    collectGarbage();
    return process.memoryUsage();
  };
  const runs = Array.from({ length: RUNS }, (_, index) => start(index));
  const before = await settle(RUNS);
  runs.push(...Array.from({ length: RUNS }, (_, index) => start(RUNS + index)));
  const after = await settle(2 * RUNS);
  // The waiting runs hold leases: one renewal of them all, and what it costs the event loop.
  if (keeper.size !== 2 * RUNS) throw new Error(`the process holds ${keeper.size} leases, not ${2 * RUNS}`);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const renewing = now();
  await keeper.renewAll();
  const renewal = { milliseconds: now() - renewing, maxDelayMilliseconds: delay.max / 1e6 };
  delay.disable();
  for (const answer of answers.splice(0)) answer({ value: "Grace" });
  const outcomes = await Promise.all(runs);
  const notDone = outcomes.filter((outcome) => outcome.result.status !== "done").length;
  if (notDone > 0) throw new Error(`${notDone} of the waiting runs did not end done once answered`);
  const rssBytes = Math.max(0, after.rss - before.rss);
  return { rssBytes, heapBytes: after.heapUsed - before.heapUsed, bytesPerRun: rssBytes / RUNS, renewal };
}
