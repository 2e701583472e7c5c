import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import { createToken } from "../../src/cli/serve/token-store.js";
import { startRedisServer, type RedisServer } from "./redis-server.js";

/**
 * Several machines' worth of Prose on one: a real redis-server, a local OpenAI-compatible model
 * server that counts what it is asked and what it answers, `prose serve --queue` and any number
 * of `prose worker` processes (the built CLI), all on 127.0.0.1 and free ports, each stopped by
 * its PID. The scale-out and crash benchmarks (test/bench/) and the crash test (test/cli/) drive it.
 */

/** The repository root (this file is in test/support/, or dist/test/support/ once compiled). */
const repositoryRoot = fileURLToPath(new URL(import.meta.url.includes("/dist/test/") ? "../../../" : "../../", import.meta.url));
const cli = join(repositoryRoot, "bin", "prose.js");

/** A script of `calls` model calls, each prompt naming the run's input, so that every prompt is asked by one run's one step. */
export function callsScript(calls: number): string {
  return `${Array.from({ length: calls }, (_, index) => `ask the model "step ${index + 1} of {the name}"\n`).join("")}say "done {the name}"\n`;
}

/** The text of the last user message of a chat completions request body. */
function promptOfBody(body: string): string {
  try {
    const messages = (JSON.parse(body) as { messages?: Array<{ role: string; content: unknown }> }).messages ?? [];
    const content = messages.filter((message) => message.role === "user").at(-1)?.content;
    if (typeof content === "string") return content;
    if (Array.isArray(content)) return (content as Array<{ text?: string }>).map((part) => part.text ?? "").join("");
  } catch {
    // An unreadable body counts under its own text.
  }
  return body;
}

function completion(prompt: string): string {
  return JSON.stringify({
    id: "chatcmpl-cluster",
    object: "chat.completion",
    created: 1741569952,
    model: "gpt-4.1-mini",
    choices: [{ index: 0, message: { role: "assistant", content: `answer to ${prompt}`, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
  });
}

/** One answer the model server wrote: to which client port, and when (performance.now()). */
export interface WrittenAnswer {
  port: number;
  at: number;
}

export interface CountingModelServer {
  url: string;
  port: number;
  /** Requests received, by prompt. */
  requested: Map<string, number>;
  /** Requests answered, by prompt: the whole response handed to the socket while it was still open. */
  answered: Map<string, number>;
  /** Each prompt's requests: the client port of each, in order. */
  askedFrom: Map<string, number[]>;
  /** Each prompt's answers, in order. */
  answers: Map<string, WrittenAnswer[]>;
  /** Requests asked and not yet answered or dropped: their prompt and the client's port. */
  inFlight: Set<{ prompt: string; port: number }>;
  /** When the last answer went to each client port. */
  lastAnswerAt: Map<number, number>;
  /** Requests whose client had gone when their answer was due. */
  dropped(): number;
  total(): number;
  close(): Promise<void>;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Prompts counted more than once in `counts`. */
export function repeated(counts: Map<string, number>): string[] {
  return [...counts].filter(([, count]) => count > 1).map(([prompt]) => prompt);
}

/**
 * A local OpenAI-compatible server answering every chat completion after `delayMilliseconds` with
 * "answer to PROMPT"; it counts each prompt's requests and answers, and which client port (which
 * connection, so which process) each answer went to.
 */
export async function startCountingModelServer(delayMilliseconds: number): Promise<CountingModelServer> {
  const requested = new Map<string, number>();
  const answered = new Map<string, number>();
  const answers = new Map<string, WrittenAnswer[]>();
  const askedFrom = new Map<string, number[]>();
  const inFlight = new Set<{ prompt: string; port: number }>();
  const lastAnswerAt = new Map<number, number>();
  let dropped = 0;
  let total = 0;
  const server = http.createServer((request, response) => {
    const port = request.socket.remotePort ?? 0;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const prompt = promptOfBody(Buffer.concat(chunks).toString("utf8"));
      total += 1;
      bump(requested, prompt);
      askedFrom.set(prompt, [...(askedFrom.get(prompt) ?? []), port]);
      const asked = { prompt, port };
      inFlight.add(asked);
      setTimeout(() => {
        inFlight.delete(asked);
        if (request.socket.destroyed || response.destroyed) {
          dropped += 1;
          return;
        }
        const body = completion(prompt);
        response.on("finish", () => {
          const at = performance.now();
          bump(answered, prompt);
          answers.set(prompt, [...(answers.get(prompt) ?? []), { port, at }]);
          lastAnswerAt.set(port, at);
        });
        response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        response.end(body);
      }, delayMilliseconds);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requested,
    answered,
    answers,
    askedFrom,
    inFlight,
    lastAnswerAt,
    dropped: () => dropped,
    total: () => total,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The local ports of a process's TCP connections to `remotePort` on loopback (Linux: its
 * descriptors in /proc/PID/fd, matched by inode with /proc/net/tcp): which of the model server's
 * clients are that process.
 */
export function connectionPorts(pid: number, remotePort: number): Set<number> {
  const inodes = new Set<string>();
  try {
    for (const entry of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${entry}`));
        if (match !== null) inodes.add(match[1]);
      } catch {
        // A descriptor closed meanwhile.
      }
    }
  } catch {
    return new Set();
  }
  const ports = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const local = parseInt(fields[1].split(":")[1], 16);
      const remote = parseInt(fields[2].split(":")[1], 16);
      if (remote === remotePort && inodes.has(fields[9])) ports.add(local);
    }
  }
  return ports;
}

/** A `prose` child process, with what it printed. */
export interface ProseProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** The exit code, or the signal's name. */
  exited: Promise<number | string>;
  /** True once it has exited. */
  gone(): boolean;
}

function spawnProse(name: string, args: string[], options: { cwd: string; env: Record<string, string> }): ProseProcess {
  const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH ?? "", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let gone = false;
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => {
      gone = true;
      resolve(code ?? signal ?? "unknown");
    }),
  );
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  return { name, child, pid: child.pid, stdout: () => stdout, stderr: () => stderr, exited, gone: () => gone };
}

/** CPU seconds (user + system) a process has used (Linux: /proc/PID/stat), 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
    // After the command's name: state is field 3, utime 14 and stime 15 (in clock ticks, 100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Stops a process by its PID: SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
export async function stopProcess(running: ProseProcess): Promise<void> {
  if (running.gone()) return;
  try {
    process.kill(running.pid, "SIGTERM");
  } catch {
    return;
  }
  const killer = setTimeout(() => {
    if (!running.gone()) process.kill(running.pid, "SIGKILL");
  }, 5000);
  await running.exited;
  clearTimeout(killer);
}

/** Waits for the condition, checking every 25 ms; throws `what` after the timeout. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMilliseconds: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMilliseconds) throw new Error(`timed out after ${timeoutMilliseconds / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface QueueClusterOptions {
  /** `prose worker` processes started at once (more with `startWorker`). */
  workers: number;
  /** Each worker's `--concurrency`. */
  concurrency: number;
  /** The scripts under `--scripts`, by file name. */
  scripts: Record<string, string>;
  /** The model server's delay before each answer. */
  modelDelayMilliseconds: number;
  /** PROSE_LEASE_MILLISECONDS for the workers and the server (a short lease for crash runs). */
  leaseMilliseconds?: number;
}

export interface QueueCluster {
  folder: string;
  redis: RedisServer;
  /** A connection of the test's own to the same Redis, to read the store. */
  store: Redis;
  models: CountingModelServer;
  server: ProseProcess;
  /** The server's base URL (http://127.0.0.1:PORT). */
  url: string;
  workers: ProseProcess[];
  /** Starts one more worker and waits until it says it is ready. */
  startWorker(): Promise<ProseProcess>;
  /** POST /api/runs: the new run's id. */
  start(script: string, inputs: Record<string, string>): Promise<string>;
  /** GET /api/runs/:id: the run as the API shows it. */
  run(id: string): Promise<{ runId: string; status: string; output?: string[] } & Record<string, unknown>>;
  /** The store's status of each run (`prose:run:<id>:status`), in order; undefined for one it has not. */
  statuses(ids: readonly string[]): Promise<Array<string | undefined>>;
  /** The run's journal and usage records, as the store keeps them. */
  journal(id: string): Promise<Array<{ kind: string; step?: string }>>;
  usage(id: string): Promise<Array<{ runId: string | null; call: number; attempt: number; outcome: string }>>;
  /** The run's lease holder's PID (0 for the queue), or undefined without a lease. */
  leaseHolder(id: string): Promise<number | undefined>;
  /** CPU seconds (user + system) used so far by redis-server, the server and the workers still running. */
  cpuSeconds(): { redis: number; server: number; workers: number };
  /** What every process printed on stderr, for a failure's message. */
  logs(): string;
  stop(): Promise<void>;
}

/** Starts redis-server, the model server, `prose serve --queue` and the workers; `stop` ends them all. */
export async function startQueueCluster(options: QueueClusterOptions): Promise<QueueCluster> {
  if (!existsSync(join(repositoryRoot, "dist", "cli", "prose.mjs"))) throw new Error("dist/cli/prose.mjs is missing: run `npm run build` first");
  const folder = mkdtempSync(join(tmpdir(), "prose-cluster-"));
  const scripts = join(folder, "scripts");
  mkdirSync(scripts);
  for (const [name, source] of Object.entries(options.scripts)) writeFileSync(join(scripts, name), source);
  const started: ProseProcess[] = [];
  let redis: RedisServer | undefined;
  let models: CountingModelServer | undefined;
  let store: Redis | undefined;
  const stopAll = async () => {
    await Promise.all(started.map(stopProcess));
    store?.disconnect();
    await models?.close();
    await redis?.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    redis = await startRedisServer();
    models = await startCountingModelServer(options.modelDelayMilliseconds);
    const { Redis: RedisClient } = await import("ioredis");
    store = new RedisClient(redis.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    await store.connect();
    const environment: Record<string, string> = {
      HOME: folder,
      OPENAI_API_KEY: "sk-cluster-0123456789",
      OPENAI_BASE_URL: `${models.url}/v1`,
      ...(options.leaseMilliseconds === undefined ? {} : { PROSE_LEASE_MILLISECONDS: String(options.leaseMilliseconds) }),
    };
    const queueUrl = redis.url;

    const serverWorkspace = join(folder, "server");
    const { token } = await createToken(serverWorkspace, { agents: [], now: new Date() });
    const server = spawnProse("prose serve --queue", ["serve", "--queue", queueUrl, "--scripts", scripts, "--port", "0", "--workspace", serverWorkspace], { cwd: folder, env: environment });
    started.push(server);
    await waitFor(() => /listening on http/.test(server.stdout()) || server.gone(), 30_000, "prose serve --queue to listen");
    if (server.gone()) throw new Error(`prose serve --queue exited: ${server.stderr()}`);
    const url = /listening on (http:\/\/\S+)/.exec(server.stdout())![1].replace(/\/$/, "");
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

    const workers: ProseProcess[] = [];
    const startWorker = async () => {
      const workspace = join(folder, `worker-${workers.length + 1}`);
      const worker = spawnProse(`prose worker ${workers.length + 1}`, ["worker", "--queue", queueUrl, "--scripts", scripts, "--workspace", workspace, "--concurrency", String(options.concurrency)], { cwd: folder, env: environment });
      started.push(worker);
      workers.push(worker);
      await waitFor(() => worker.stderr().includes("worker ready") || worker.gone(), 30_000, `${worker.name} to say "worker ready"`);
      if (worker.gone()) throw new Error(`${worker.name} exited: ${worker.stderr()}`);
      return worker;
    };
    await Promise.all(Array.from({ length: options.workers }, () => startWorker()));

    const connection = store;
    const cluster: QueueCluster = {
      folder,
      redis,
      store: connection,
      models,
      server,
      url,
      workers,
      startWorker,
      start: async (script, inputs) => {
        const response = await fetch(`${url}/api/runs`, { method: "POST", headers, body: JSON.stringify({ script, inputs }) });
        const text = await response.text();
        if (response.status !== 202) throw new Error(`POST /api/runs answered ${response.status}: ${text}`);
        return (JSON.parse(text) as { runId: string }).runId;
      },
      run: async (id) => {
        const response = await fetch(`${url}/api/runs/${id}`, { headers });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`GET /api/runs/${id} answered ${response.status}: ${text}`);
        return JSON.parse(text) as { runId: string; status: string };
      },
      statuses: async (ids) => (ids.length === 0 ? [] : ((await connection.mget(ids.map((id) => `prose:run:${id}:status`))) as Array<string | null>).map((value) => value ?? undefined)),
      journal: async (id) => (await connection.lrange(`prose:run:${id}:journal`, 0, -1)).map((line) => JSON.parse(line) as { kind: string; step?: string }),
      usage: async (id) => (await connection.lrange(`prose:run:${id}:usage`, 0, -1)).map((line) => JSON.parse(line) as { runId: string | null; call: number; attempt: number; outcome: string }),
      leaseHolder: async (id) => {
        const lease = await connection.get(`prose:run:${id}:lease`);
        if (lease === null) return undefined;
        const parsed = JSON.parse(lease) as { holder?: { pid?: number }; queued?: boolean };
        return parsed.queued === true ? 0 : (parsed.holder?.pid ?? 0);
      },
      cpuSeconds: () => ({
        redis: processCpuSeconds(redis!.pid),
        server: processCpuSeconds(server.pid),
        workers: workers.filter((running) => !running.gone()).reduce((sum, running) => sum + processCpuSeconds(running.pid), 0),
      }),
      logs: () => started.map((running) => `--- ${running.name} (pid ${running.pid}) stderr:\n${running.stderr().slice(-3000)}`).join("\n"),
      stop: stopAll,
    };
    return cluster;
  } catch (problem) {
    const logs = started.map((running) => `--- ${running.name}: ${running.stderr().slice(-1500)}`).join("\n");
    await stopAll();
    if (problem instanceof Error && logs !== "") problem.message += `\n${logs}`;
    throw problem;
  }
}

const endedStatuses = new Set(["done", "failed", "cancelled"]);

/** Polls the store (the runs not yet seen ended, every 25 ms) until every run has ended (done, failed or cancelled); resolves with Date.now() then. */
export async function allEnded(cluster: QueueCluster, ids: readonly string[], timeoutMilliseconds: number): Promise<number> {
  let open = [...ids];
  await waitFor(
    async () => {
      const statuses = await cluster.statuses(open);
      open = open.filter((_, index) => !endedStatuses.has(statuses[index] ?? ""));
      return open.length === 0;
    },
    timeoutMilliseconds,
    `${ids.length} runs to end`,
  );
  return Date.now();
}

/** What the crash measure counts, per run and in all. */
export interface CrashCounts {
  runs: number;
  done: number;
  notDone: string[];
  /** Prompts the model server was asked more than once, and answered more than once (in a crash run, to a live process). */
  requestedTwice: string[];
  answeredTwice: string[];
  /** Model steps the store's journal holds twice (a journaled call made again). */
  journaledTwice: number;
  journaledModelSteps: number;
  usageRecords: number;
  /** Runs whose usage records do not number their journaled model steps. */
  usageMismatches: Array<{ runId: string; journaled: number; usage: number }>;
}

/** Reads every run's journal and usage from the store, and the model server's counts. */
export async function crashCounts(cluster: QueueCluster, ids: readonly string[]): Promise<CrashCounts> {
  const statuses = await cluster.statuses(ids);
  let journaledTwice = 0;
  let journaledModelSteps = 0;
  let usageRecords = 0;
  const usageMismatches: CrashCounts["usageMismatches"] = [];
  for (const id of ids) {
    const steps = (await cluster.journal(id)).filter((record) => record.kind === "model").map((record) => record.step ?? "");
    const distinct = new Set(steps).size;
    journaledTwice += steps.length - distinct;
    journaledModelSteps += steps.length;
    const usage = (await cluster.usage(id)).length;
    usageRecords += usage;
    if (usage !== steps.length) usageMismatches.push({ runId: id, journaled: steps.length, usage });
  }
  return {
    runs: ids.length,
    done: statuses.filter((status) => status === "done").length,
    notDone: ids.filter((_, index) => statuses[index] !== "done"),
    requestedTwice: repeated(cluster.models.requested),
    answeredTwice: repeated(cluster.models.answered),
    journaledTwice,
    journaledModelSteps,
    usageRecords,
    usageMismatches,
  };
}

/** The run input `name` of run number `index` in the crash and scale-out runs; prompts name it. */
export function runName(index: number): string {
  return `run-${index}`;
}

/** The run name a prompt of `callsScript` names. */
export function runNameOf(prompt: string): string | undefined {
  return /\bof (run-\d+)\b/.exec(prompt)?.[1];
}

export interface CrashReport extends CrashCounts {
  killedPid: number;
  /** Runs ended when the worker was killed. */
  endedAtKill: number;
  /** Runs whose lease the killed worker held when it died. */
  heldByKilled: string[];
  /** Their run names (the `name` input their prompts include). */
  heldNames: string[];
  /** Model requests the killed worker had in flight when it died (the calls expected to be asked again). */
  inFlightOfKilled: number;
  /** Prompts answered to the killed worker that its run's journal did not hold when it died: asked again by the next worker (each has a usage record from the killed worker and one from the next). */
  answersInHands: string[];
  /** Per run held by the killed worker: milliseconds from the kill until another worker held its lease (or it had ended). */
  takeoverMilliseconds: number[];
  /** Answers written to the killed worker's connections after the kill (not counted as answered: no process read them). */
  answersAfterKill: number;
  /** Per prompt answered twice: where its first answer went (the killed worker or another) and how long before the kill. */
  answeredTwiceDetail: Array<{ prompt: string; toKilled: boolean; beforeKillMilliseconds: number }>;
  /** From the first POST to the last run ended. */
  seconds: number;
}

/**
 * The crash run: `runs` runs of calls.prose started at once; once `killWhenEnded` have ended, the
 * first worker is killed with SIGKILL at once, whatever it is doing. Then every run is waited for,
 * and the store and the model server are counted. A call in flight when its worker dies is rightly
 * asked again, and so is one whose answer had reached the worker but not yet its journal (the
 * journal is written after the answer arrives; these are read from the store right after the kill,
 * before any other worker may hold the runs): both are counted apart. Every other prompt answered
 * twice is a journaled call made again, a fault; and each run's usage records must number its
 * journaled model steps plus its answers lost with the killed worker (each answer a worker read has
 * one usage record, no more, no less).
 */
export async function crashRun(cluster: QueueCluster, options: { runs: number; killWhenEnded: number; timeoutMilliseconds: number }): Promise<CrashReport> {
  const victim = cluster.workers[0];
  const models = cluster.models;
  const start = Date.now();
  const ids = await Promise.all(Array.from({ length: options.runs }, (_, index) => cluster.start("calls.prose", { name: runName(index) })));
  const nameOf = new Map(ids.map((id, index) => [id, runName(index)]));
  const idOf = new Map(ids.map((id, index) => [runName(index), id]));
  let endedAtKill = 0;
  await allEndedOr(cluster, ids, options.timeoutMilliseconds, (ended) => {
    endedAtKill = ended;
    return ended >= options.killWhenEnded;
  });

  // Killed at once, whatever it is doing: calls in flight, answers in its hands not yet journaled.
  const ports = connectionPorts(victim.pid, models.port);
  const killedAt = Date.now();
  const killedAtPrecise = performance.now();
  process.kill(victim.pid, "SIGKILL");
  await victim.exited;
  // Read before any other worker can hold its runs (their leases have not expired): what the killed worker journaled.
  const answeredToVictim = [...models.answers].filter(([, list]) => list.some((answer) => ports.has(answer.port) && answer.at <= killedAtPrecise)).map(([prompt]) => prompt);
  const inHands: string[] = [];
  for (const prompt of answeredToVictim) {
    const id = idOf.get(runNameOf(prompt) ?? "");
    const step = Number(/^step (\d+) of/.exec(prompt)?.[1] ?? 0);
    const journaled = id === undefined ? 0 : (await cluster.journal(id)).filter((record) => record.kind === "model").length;
    if (journaled < step) inHands.push(prompt);
  }
  const holders = await Promise.all(ids.map((id) => cluster.leaseHolder(id)));
  const heldByKilled = ids.filter((_, index) => holders[index] === victim.pid);

  // Each of the killed worker's runs: held by another worker, or ended.
  const takeoverMilliseconds: number[] = [];
  let waiting = [...heldByKilled];
  await waitFor(
    async () => {
      const statuses = await cluster.statuses(waiting);
      const leases = await Promise.all(waiting.map((id) => cluster.leaseHolder(id)));
      const at = Date.now();
      waiting = waiting.filter((_, index) => {
        const taken = endedStatuses.has(statuses[index] ?? "") || (leases[index] !== undefined && leases[index] !== 0 && leases[index] !== victim.pid);
        if (taken) takeoverMilliseconds.push(at - killedAt);
        return !taken;
      });
      return waiting.length === 0;
    },
    options.timeoutMilliseconds,
    "the killed worker's runs to be taken over",
  );
  const lastEnded = await allEnded(cluster, ids, options.timeoutMilliseconds);
  const counts = await crashCounts(cluster, ids);
  // An answer written to the killed worker's connections after the kill reached no process: the
  // kernel was still tearing the worker down, its sockets open, but nothing read them.
  const toTheDead = (answer: WrittenAnswer) => ports.has(answer.port) && answer.at > killedAtPrecise;
  const answersAfterKill = [...models.answers.values()].flat().filter(toTheDead).length;
  // The killed worker's calls in flight: asked by it, not answered to it while it lived (some still on their way to the server at the kill).
  const askedByKilled = [...models.askedFrom.values()].flat().filter((port) => ports.has(port)).length;
  const answeredToKilled = [...models.answers.values()].flat().filter((answer) => ports.has(answer.port) && !toTheDead(answer)).length;
  const inFlightOfKilled = askedByKilled - answeredToKilled;
  const answeredTwiceAll = counts.answeredTwice.filter((prompt) => models.answers.get(prompt)!.filter((answer) => !toTheDead(answer)).length > 1);
  // Answered to the killed worker, not journaled when it died: rightly asked again (and billed twice by a provider).
  const answeredTwice = answeredTwiceAll.filter((prompt) => !inHands.includes(prompt));
  const extraUsage = new Map<string, number>();
  for (const prompt of inHands) {
    const id = idOf.get(runNameOf(prompt) ?? "") ?? "";
    extraUsage.set(id, (extraUsage.get(id) ?? 0) + 1);
  }
  // Each journaled answer has its usage record (none lost), and no answer has two (none doubled): a run's records number its
  // journaled steps, plus at most its answers lost with the killed worker (one it had not read yet when killed has none).
  const usageMismatches = counts.usageMismatches.filter((run) => run.usage < run.journaled || run.usage > run.journaled + (extraUsage.get(run.runId) ?? 0));
  const answeredTwiceDetail = answeredTwice.map((prompt) => {
    const first = models.answers.get(prompt)![0];
    return { prompt, toKilled: ports.has(first.port), beforeKillMilliseconds: Math.round(killedAtPrecise - first.at) };
  });
  return {
    ...counts,
    answeredTwice,
    usageMismatches,
    answersInHands: inHands,
    answersAfterKill,
    killedPid: victim.pid,
    endedAtKill,
    heldByKilled,
    heldNames: heldByKilled.map((id) => nameOf.get(id) ?? id),
    inFlightOfKilled,
    takeoverMilliseconds,
    answeredTwiceDetail,
    seconds: (lastEnded - start) / 1000,
  };
}

/** Polls the store until `enough(ended)` says so (or every run has ended). */
async function allEndedOr(cluster: QueueCluster, ids: readonly string[], timeoutMilliseconds: number, enough: (ended: number) => boolean): Promise<void> {
  await waitFor(
    async () => {
      const statuses = await cluster.statuses(ids);
      const ended = statuses.filter((status) => status === "done" || status === "failed" || status === "cancelled").length;
      return enough(ended) || ended === ids.length;
    },
    timeoutMilliseconds,
    "runs to end",
  );
}
