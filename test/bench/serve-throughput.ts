import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../../src/cli/serve/token-store.js";
import { format, now, percentile, repositoryRoot, type BenchReport } from "./measure.js";
import { completionBody } from "./bench-completion.js";

const RUNS = 200;
const CALLS = 5;
const MODEL_DELAY_MS = 50;
const TARGET_SPEEDUP = 5;
const TARGET_WAITING_KB = 200;


/** A local OpenAI-compatible server that answers every completion after 50 ms. */
async function startModelServer(): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on("end", () =>
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(completionBody) });
        response.end(completionBody);
      }, MODEL_DELAY_MS),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function rssKilobytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match === null) throw new Error("no VmRSS");
  return Number(match[1]);
}

async function until(condition: () => Promise<boolean>, timeout: number): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeout) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * 200 runs started at once through `prose serve` (the built CLI, a child process), each making 5
 * model calls to a local server that answers after 50 ms: runs per second, p50/p99 of the API's
 * own answers to POST /api/runs, and the server's RSS per waiting run (200 runs waiting on a
 * question); beside the same 200 runs as 200 `prose run` processes started at once.
 */
export async function serveThroughput(): Promise<BenchReport> {
  const cli = join(repositoryRoot, "bin", "prose.js");
  if (!existsSync(join(repositoryRoot, "dist", "cli", "prose.mjs"))) throw new Error("dist/cli/prose.mjs is missing: run `npm run build` first");
  const folder = mkdtempSync(join(tmpdir(), "prose-bench-serve-"));
  const models = await startModelServer();
  let server: ChildProcess | undefined;
  try {
    const scripts = join(folder, "scripts");
    mkdirSync(scripts);
    writeFileSync(join(scripts, "calls.prose"), `${Array.from({ length: CALLS }, (_, index) => `ask the model "step ${index + 1} of {the name}"\n`).join("")}say "done {the name}"\n`);
    writeFileSync(join(scripts, "ask.prose"), 'get the approver\nsay "approved by {the approver}"\n');
    const environment = { PATH: process.env.PATH ?? "", HOME: folder, OPENAI_API_KEY: "sk-bench-0123456789", OPENAI_BASE_URL: `${models.url}/v1` };

    // The baseline: 200 `prose run` processes at once.
    const processWorkspace = join(folder, "processes");
    const processStart = now();
    const codes = await Promise.all(
      Array.from({ length: RUNS }, (_, index) => new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [cli, "run", join(scripts, "calls.prose"), "--input", `name=p${index}`, "--workspace", processWorkspace], { cwd: folder, env: environment, stdio: "ignore" });
        child.on("exit", (code) => resolve(code));
      })),
    );
    const processSeconds = (now() - processStart) / 1000;
    if (codes.some((code) => code !== 0)) throw new Error(`some prose run processes failed: ${codes.filter((code) => code !== 0).length}`);

    // The server.
    const workspace = join(folder, "served");
    const { token } = await createToken(workspace, { agents: [], now: new Date() });
    server = spawn(process.execPath, [cli, "serve", "--port", "0", "--workspace", workspace, "--scripts", scripts, "--max-runs", String(RUNS)], { cwd: folder, env: environment, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    server.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    await until(async () => /listening on http/.test(stdout), 20_000);
    const url = /listening on (http:\/\/\S+)/.exec(stdout)![1];
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const post = async (body: unknown) => {
      const start = now();
      const response = await fetch(`${url}/api/runs`, { method: "POST", headers, body: JSON.stringify(body) });
      const elapsed = now() - start;
      if (response.status !== 202) throw new Error(`POST /api/runs: ${response.status} ${await response.text()}`);
      return { elapsed, runId: ((await response.json()) as { runId: string }).runId };
    };
    const count = async (status: string) => ((await (await fetch(`${url}/api/runs?status=${status}`, { headers })).json()) as { runs: unknown[] }).runs.length;
    // Polled cheaply (GET /api/runs reads every run.json): nothing running or queued any more.
    const idle = async () => {
      const { runs } = (await (await fetch(`${url}/api/health`)).json()) as { runs: { running: number; queued: number } };
      return runs.running === 0 && runs.queued === 0;
    };
    // One run first, so that both sides start from loaded code.
    await post({ script: "calls.prose", inputs: { name: "warm" } });
    await until(idle, 20_000);
    const callsBefore = models.requests();
    const serveStart = now();
    const started = await Promise.all(Array.from({ length: RUNS }, (_, index) => post({ script: "calls.prose", inputs: { name: `s${index}` } })));
    await until(idle, 300_000);
    const serveSeconds = (now() - serveStart) / 1000;
    if ((await count("done")) !== RUNS + 1) throw new Error("not every run of the server finished done");
    if (models.requests() - callsBefore !== RUNS * CALLS) throw new Error(`the server's runs made ${models.requests() - callsBefore} model calls, not ${RUNS * CALLS}`);
    const latencies = started.map((run) => run.elapsed);

    // Waiting runs: the server's RSS grows by this much per run waiting on a question. A first
    // 200 warm the heap to the peak of 200 runs starting at once; the second 200 are measured.
    const waitingRound = async () => {
      await Promise.all(Array.from({ length: RUNS }, () => post({ script: "ask.prose" })));
      await until(idle, 120_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
    };
    await waitingRound();
    const rssBefore = rssKilobytes(server.pid!);
    await waitingRound();
    const rssAfter = rssKilobytes(server.pid!);
    if ((await count("waiting")) !== 2 * RUNS) throw new Error("not every question run is waiting");
    const perWaiting = Math.max(0, rssAfter - rssBefore) / RUNS;

    const serveRate = RUNS / serveSeconds;
    const processRate = RUNS / processSeconds;
    const speedup = processSeconds / serveSeconds;
    return {
      rows: [
        { name: `serve: ${RUNS} runs × ${CALLS} calls (50 ms model)`, measured: `${format(serveSeconds)} s, ${format(serveRate)} runs/s`, baseline: `${RUNS} prose run processes ${format(processSeconds)} s, ${format(processRate)} runs/s`, ratio: `${format(speedup)}× faster`, target: `≥ ${TARGET_SPEEDUP}× faster`, pass: speedup >= TARGET_SPEEDUP },
        { name: "serve: RSS per waiting run", measured: `${format(perWaiting)} KB`, baseline: `server RSS ${format(rssBefore / 1024)} MB with ${RUNS} waiting`, ratio: "-", target: `< ${TARGET_WAITING_KB} KB`, pass: perWaiting < TARGET_WAITING_KB },
      ],
      notes: [
        `serve: POST /api/runs answered in p50 ${format(percentile(latencies, 50))} ms, p99 ${format(percentile(latencies, 99))} ms (${RUNS} sent at once); server RSS ${format(rssBefore / 1024)} MB with ${RUNS} runs waiting, ${format(rssAfter / 1024)} MB with ${2 * RUNS}.`,
      ],
    };
  } finally {
    server?.kill("SIGTERM");
    await models.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
