import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServer } from "../../../src/cli/serve/api-server.js";
import { QueuedRunService } from "../../../src/cli/serve/queued-run-service.js";
import { createToken } from "../../../src/cli/serve/token-store.js";
import { newLease } from "../../../src/runtime/run-lease.js";
import { newRunId, newRunRecord, startAttempt, type RunRecord } from "../../../src/runtime/run-store.js";
import { openRedisRunStore } from "../../../src/session/shared-runs/redis-run-store.js";
import { runEventsChannel, runQueueName, runQueuePrefix } from "../../../src/session/shared-runs/run-job.js";
import type { SharedRunStore } from "../../../src/session/shared-runs/shared-run-store.js";
import { buildIfStale, spawnProse, until, type SpawnedProse } from "../../support/built-cli.js";
import { answerByPrompt } from "../../support/journaled-run.js";
import { startOpenAiServer } from "../../support/openai-server.js";
import { freePort, hasRedisServer, startRedisServer, type RedisServer } from "../../support/redis-server.js";
import type { ScriptedServer } from "../../support/scripted-server.js";
import { ApiClient } from "./api-client.js";

/**
 * `prose serve --queue`: the server runs nothing; it records runs in the shared run store and
 * enqueues BullMQ jobs, against a real redis-server on a free loopback port. The jobs are looked
 * at with BullMQ's own Queue, the records with the store; the workers' events are published by
 * the test as a worker publishes them.
 */
describe.skipIf(!hasRedisServer)("prose serve --queue (needs /usr/bin/redis-server: apt-get install redis-server)", () => {
  let redis: RedisServer;
  let folder: string;
  let workspace: string;
  let scripts: string;
  let store: SharedRunStore;
  let queue: Queue;
  let publisher: Redis;
  let server: ApiServer;
  let api: ApiClient;

  beforeAll(async () => {
    redis = await startRedisServer();
    folder = mkdtempSync(join(tmpdir(), "prose-queue-serve-"));
    workspace = join(folder, "workspace");
    scripts = join(folder, "scripts");
    mkdirSync(join(scripts, "invoices"), { recursive: true });
    writeFileSync(join(scripts, "invoices", "approve.prose"), 'ask the model "summarize the invoice"\nsay the answer\nget the approver\nsay "approved by {the approver}"\n');
    writeFileSync(join(scripts, "broken.prose"), "say the missing thing\nrepeat until\n");
    store = openRedisRunStore(redis.url, {});
    queue = new Queue(runQueueName, { prefix: runQueuePrefix, connection: { host: "127.0.0.1", port: redis.port } });
    publisher = new Redis(redis.url);
    const runs = await QueuedRunService.open({ workspace, scriptsRoot: scripts, environment: {}, url: redis.url, store: openRedisRunStore(redis.url, {}), log: () => undefined });
    server = await startApiServer({ workspace, scriptsRoot: scripts, host: "127.0.0.1", port: 0, maxRuns: 4, environment: {}, runs, log: () => undefined });
    const { token } = await createToken(workspace, { agents: [], name: "tests", now: new Date() });
    api = new ApiClient(server.url, token);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await queue?.close();
    publisher?.disconnect();
    await store?.close();
    await redis?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const jobCounts = () => queue.getJobCounts("waiting", "active", "delayed", "prioritized", "failed", "completed");

  it("records a new run in Redis and enqueues its job, running nothing itself", async () => {
    const started = await api.post("/api/runs", { script: "invoices/approve.prose", inputs: { invoice: "INV-7" }, timeoutSeconds: 120 });
    expect(started.status).toBe(202);
    const runId = started.body.runId as string;
    expect(started.headers.get("location")).toBe(`/api/runs/${runId}`);
    expect(started.body.status).toBe("running");

    const shown = await api.get(`/api/runs/${runId}`);
    expect(shown.status).toBe(200);
    expect(shown.body.status).toBe("running");
    const record = (await store.read(runId))!;
    expect(record.holder?.host).toBe("(queue)");
    expect(record.scriptGiven).toBe("invoices/approve.prose");
    expect(record.arguments.inputs).toEqual(["invoice=INV-7"]);
    expect((await api.get("/api/runs")).body.runs.map((run: { runId: string }) => run.runId)).toContain(runId);

    const job = (await queue.getJob(`${runId}#1`))!;
    expect(job.name).toBe("run");
    expect(job.data).toEqual({ runId, script: "invoices/approve.prose", timeoutSeconds: 120 });
    expect(await job.getState()).toBe("waiting");
    // Nothing ran it: still queued, no attempt.
    expect((await store.read(runId))!.timings.attempts).toEqual([]);
    expect((await api.get("/api/health")).body.runs.queued).toBeGreaterThanOrEqual(1);
  });

  it("refuses a script with errors (422) and enqueues nothing", async () => {
    const before = await jobCounts();
    const runsBefore = (await store.list()).length;
    const refused = await api.post("/api/runs", { script: "broken.prose" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.diagnostics.length).toBeGreaterThan(0);
    expect(await jobCounts()).toEqual(before);
    expect((await store.list()).length).toBe(runsBefore);
  });

  /** A run that waits on a question, put in the store as a worker leaves it. */
  async function waitingRun(): Promise<RunRecord> {
    const id = newRunId(new Date());
    const queued: RunRecord = { ...newRunRecord(id, join(scripts, "invoices", "approve.prose"), { inputs: [], concurrency: 4, files: { root: scripts } }, new Date()), scriptGiven: "invoices/approve.prose" };
    expect(await store.createQueued(queued)).toBe(true);
    const lease = newLease();
    expect(await store.acquire(id, lease.holder, { waitMilliseconds: 1000 })).toBe("acquired");
    const question = { id: "q-0123456789ab", kind: "value" as const, text: "Who approves it?", at: "invoices/approve.prose:3:1", choices: [], subject: "the approver" };
    const waiting: RunRecord = { ...startAttempt(queued, new Date(), lease), status: "waiting", questions: [question], output: ["a summary"] };
    const { holder: _holder, leaseUntil: _until, ...ended } = waiting;
    await store.finish({ ...ended, timings: { ...ended.timings, attempts: ended.timings.attempts.map((attempt) => ({ ...attempt, status: "waiting" as const })) } }, lease.holder.token);
    return (await store.read(id))!;
  }

  it("requeues a waiting run with the answers in its job; a second answer is refused (409)", async () => {
    const run = await waitingRun();
    expect((await api.get(`/api/runs/${run.id}`)).body.status).toBe("waiting");
    const inbox = await api.get("/api/questions");
    expect(inbox.body.questions.map((entry: { runId: string }) => entry.runId)).toContain(run.id);

    const answered = await api.post(`/api/runs/${run.id}/answers`, { answers: { "the approver": "Ann", "nobody asked this": "x" } });
    expect(answered.status).toBe(202);
    expect(answered.body.status).toBe("running");
    expect(answered.body.warnings).toHaveLength(1);
    const job = (await queue.getJob(`${run.id}#2`))!;
    expect(job.data).toEqual({ runId: run.id, script: "invoices/approve.prose", answers: [["the approver", { value: "Ann" }], ["nobody asked this", { value: "x" }]] });
    expect((await store.read(run.id))!.holder?.host).toBe("(queue)");
    // The output said before stays in the view while it is queued again.
    expect(answered.body.output).toEqual(["a summary"]);

    const again = await api.post(`/api/runs/${run.id}/answers`, { answers: { "the approver": "Bob" } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("is running");
  });

  it("streams the events the workers publish on prose:events:<run id>", async () => {
    const runId = (await api.post("/api/runs", { script: "invoices/approve.prose" })).body.runId as string;
    const streamed = api.events(runId);
    await until(() => (server.manager.eventsOf(runId)?.subscriberCount ?? 0) > 0, 5000);
    await publisher.publish(runEventsChannel(runId), JSON.stringify({ event: "output", data: { line: "summary of INV-7" } }));
    await publisher.publish(runEventsChannel(runId), JSON.stringify({ event: "warning", data: { message: "slow provider" } }));
    await publisher.publish(runEventsChannel(runId), JSON.stringify({ event: "status", data: { runId, status: "done" } }));
    const events = await streamed;
    expect(events.map((event) => [event.event, event.data])).toEqual([
      ["status", { runId, status: "queued" }],
      ["status", { runId, status: "running" }],
      ["output", { line: "summary of INV-7" }],
      ["warning", { message: "slow provider" }],
      ["status", { runId, status: "done" }],
    ]);
    expect(events.map((event) => event.id)).toEqual([1, 2, 3, 4, 5]);
    // A late subscriber gets the same, from the server's memory.
    expect((await api.events(runId, { "last-event-id": "2" })).map((event) => event.event)).toEqual(["output", "warning", "status"]);
  });

  it("streams a run it did not start (queued by another server) from what its record says, then what the workers publish", async () => {
    const id = newRunId(new Date());
    expect(await store.createQueued({ ...newRunRecord(id, join(scripts, "invoices", "approve.prose"), { inputs: [], concurrency: 4, files: { root: scripts } }, new Date()), scriptGiven: "invoices/approve.prose", output: ["said before"] })).toBe(true);
    const streamed = api.events(id);
    await until(() => (server.manager.eventsOf(id)?.subscriberCount ?? 0) > 0, 5000);
    await publisher.publish(runEventsChannel(id), JSON.stringify({ event: "output", data: { line: "said now" } }));
    await publisher.publish(runEventsChannel(id), JSON.stringify({ event: "status", data: { runId: id, status: "failed", error: { message: "It broke.", fix: "Fix it." } } }));
    expect((await streamed).map((event) => [event.event, event.data])).toEqual([
      ["output", { line: "said before" }],
      ["status", { runId: id, status: "running" }],
      ["output", { line: "said now" }],
      ["status", { runId: id, status: "failed", error: { message: "It broke.", fix: "Fix it." } }],
    ]);
  });

  it("cancels a queued run no worker took: its job removed, the run failed and stopped", async () => {
    const runId = (await api.post("/api/runs", { script: "invoices/approve.prose" })).body.runId as string;
    expect(await queue.getJob(`${runId}#1`)).toBeDefined();
    const cancelled = await api.post(`/api/runs/${runId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("failed");
    expect(cancelled.body.stopped).toBe("interrupted");
    expect(cancelled.body.error.message).toContain("cancelled before a worker took it");
    expect(await queue.getJob(`${runId}#1`)).toBeUndefined();
    const record = (await store.read(runId))!;
    expect(record.status).toBe("failed");
    expect(record.holder).toBeUndefined();
    expect((await api.post(`/api/runs/${runId}/cancel`)).status).toBe(409);
    const events = await api.events(runId);
    expect(events.at(-1)!.data).toMatchObject({ status: "failed", stopped: "interrupted" });
  });

  it("queues again, as it starts, a run that reads interrupted in the store (its worker gone, its job lost)", async () => {
    const id = newRunId(new Date());
    expect(await store.createQueued({ ...newRunRecord(id, join(scripts, "invoices", "approve.prose"), { inputs: [], concurrency: 4, files: { root: scripts } }, new Date()), scriptGiven: "invoices/approve.prose" })).toBe(true);
    // Its lease gone with no job for it (the key the store documents: prose:run:<id>:lease).
    await publisher.del(`prose:run:${id}:lease`);
    expect((await api.get(`/api/runs/${id}`)).body.status).toBe("interrupted");
    expect(await queue.getJob(`${id}#1`)).toBeUndefined();
    expect(await server.manager.recover()).toEqual([id]);
    expect((await queue.getJob(`${id}#1`))!.data).toEqual({ runId: id, script: "invoices/approve.prose" });
    expect((await store.read(id))!.holder?.host).toBe("(queue)");
    // Queued now, not interrupted: not queued twice.
    expect(await server.manager.recover()).toEqual([]);
  });

  it("asks the workers to stop a run one of them runs (PUBLISH on prose:cancel) and answers once it stopped", async () => {
    const runId = (await api.post("/api/runs", { script: "invoices/approve.prose" })).body.runId as string;
    // A worker takes it: its lease, and its job taken from the queue.
    const lease = newLease();
    expect(await store.acquire(runId, lease.holder, { waitMilliseconds: 1000 })).toBe("acquired");
    const queued = (await queue.getJob(`${runId}#1`))!;
    await queued.remove();
    const listener = new Redis(redis.url);
    const asked: string[] = [];
    await listener.subscribe("prose:cancel");
    listener.on("message", async (_channel: string, id: string) => {
      asked.push(id);
      if (id !== runId) return;
      // The worker stops it as Ctrl-C does, records it and says so.
      const record = (await store.read(runId))!;
      const { holder: _holder, leaseUntil: _until, ...rest } = record;
      await store.finish({ ...rest, status: "failed", stopped: "interrupted", error: { message: "The run was interrupted.", at: null } }, lease.holder.token);
      await publisher.publish(runEventsChannel(runId), JSON.stringify({ event: "status", data: { runId, status: "failed", stopped: "interrupted" } }));
    });
    try {
      const cancelled = await api.post(`/api/runs/${runId}/cancel`);
      expect(asked).toContain(runId);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe("failed");
      expect(cancelled.body.stopped).toBe("interrupted");
    } finally {
      listener.disconnect();
    }
  });
});

describe.skipIf(!hasRedisServer)("prose serve --queue, the built CLI (needs /usr/bin/redis-server)", () => {
  let folder: string;
  beforeAll(() => {
    buildIfStale();
    folder = mkdtempSync(join(tmpdir(), "prose-queue-serve-cli-"));
    mkdirSync(join(folder, "scripts"));
    writeFileSync(join(folder, "scripts", "hello.prose"), 'say "hello"\n');
  }, 240_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("starts, says where the runs go, enqueues a started run, and stops on SIGTERM", async () => {
    const redis = await startRedisServer();
    const queue = new Queue(runQueueName, { prefix: runQueuePrefix, connection: { host: "127.0.0.1", port: redis.port } });
    const workspace = join(folder, "workspace");
    const served = spawnProse(["serve", "--queue", redis.url, "--port", "0", "--scripts", join(folder, "scripts"), "--workspace", workspace], { cwd: folder });
    try {
      // The last line of the start: the tokens.
      await until(() => /No token yet|can log in/.test(served.stdout()) || served.child.exitCode !== null, 20_000);
      expect(served.stdout()).toContain(`runs go to the queue at ${redis.url}`);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(served.stdout())![1]!;
      const { token } = await createToken(workspace, { agents: [], name: "cli", now: new Date() });
      const api = new ApiClient(url, token);
      const started = await api.post("/api/runs", { script: "hello.prose" });
      expect(started.status).toBe(202);
      const job = (await queue.getJob(`${started.body.runId}#1`))!;
      expect(job.data).toEqual({ runId: started.body.runId, script: "hello.prose" });
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      expect(served.stderr()).toContain("the runs go on in the workers");
      // Still queued for the workers after the server stopped.
      expect(await job.getState()).toBe("waiting");
    } finally {
      if (served.child.exitCode === null) served.child.kill("SIGKILL");
      await queue.close();
      await redis.stop();
    }
  }, 60_000);

  it("refuses to start without Redis: exit 1, the URL without its password, the fix", async () => {
    const port = await freePort();
    const started = Date.now();
    const served = spawnProse(["serve", "--queue", `redis://:sekret-pass@127.0.0.1:${port}`, "--port", "0", "--scripts", join(folder, "scripts"), "--workspace", join(folder, "workspace-2")], { cwd: folder });
    expect(await served.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    const said = served.stderr();
    expect(said).toContain(`redis://127.0.0.1:${port}`);
    expect(said).toContain("could not be reached");
    expect(said).toContain("Start Redis there");
    expect(`${said}${served.stdout()}`).not.toContain("sekret");
    expect(said).not.toMatch(/\n\s+at /);
    expect(served.stdout()).not.toContain("listening");
  }, 30_000);
});

describe.skipIf(!hasRedisServer)("prose serve --queue with a real prose worker (needs /usr/bin/redis-server)", () => {
  let folder: string;
  let scripts: string;
  let redis: RedisServer;
  let models: ScriptedServer;
  let server: ApiServer;
  let api: ApiClient;
  let worker: SpawnedProse;

  beforeAll(async () => {
    buildIfStale();
    folder = mkdtempSync(join(tmpdir(), "prose-queue-serve-worker-"));
    scripts = join(folder, "scripts");
    mkdirSync(join(scripts, "invoices"), { recursive: true });
    writeFileSync(join(scripts, "invoices", "approve.prose"), 'ask the model "summarize invoice {the number}"\nsay the answer\nget the approver\nsay "approved by {the approver}"\n');
    redis = await startRedisServer();
    models = await startOpenAiServer();
    answerByPrompt(models, (prompt) => `summary of ${prompt.split(" ").at(-1)}`);
    const workspace = join(folder, "workspace");
    const runs = await QueuedRunService.open({ workspace, scriptsRoot: scripts, environment: {}, url: redis.url, store: openRedisRunStore(redis.url, {}), log: () => undefined });
    server = await startApiServer({ workspace, scriptsRoot: scripts, host: "127.0.0.1", port: 0, maxRuns: 4, environment: {}, runs, log: () => undefined });
    const { token } = await createToken(workspace, { agents: [], name: "tests", now: new Date() });
    api = new ApiClient(server.url, token);
    worker = spawnProse(["worker", "--queue", redis.url, "--scripts", scripts, "--workspace", join(folder, "worker-workspace"), "--concurrency", "2"], {
      cwd: folder,
      env: { OPENAI_API_KEY: "sk-queue-serve-test-0123456789", OPENAI_BASE_URL: `${models.url}/v1`, PROSE_LEASE_MILLISECONDS: "3000" },
    });
    await until(() => worker.stderr().includes("worker ready") || worker.child.exitCode !== null, 30_000);
    if (!worker.stderr().includes("worker ready")) throw new Error(`the worker did not start: ${worker.stderr()}`);
  }, 240_000);

  afterAll(async () => {
    worker?.child.kill("SIGKILL");
    await server?.close();
    await models?.close();
    await redis?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("a run started through the API is run by the worker until its question, and finished there after answers given to the API", async () => {
    const runId = (await api.post("/api/runs", { script: "invoices/approve.prose", inputs: { number: "INV-42" } })).body.runId as string;
    const first = await api.events(runId);
    expect(first.map((event) => event.event)).toEqual(["status", "status", "output", "question", "status"]);
    expect(first.map((event) => (event.event === "status" ? event.data.status : event.data.line ?? event.data.question?.subject))).toEqual(["queued", "running", "summary of INV-42", "the approver", "waiting"]);
    const waiting = await api.get(`/api/runs/${runId}`);
    expect(waiting.body.status).toBe("waiting");
    expect(waiting.body.usage.modelCalls).toBe(1);

    const answered = await api.post(`/api/runs/${runId}/answers`, { answers: { "the approver": "Dana" } });
    expect(answered.status).toBe(202);
    const second = await api.events(runId, { "last-event-id": String(first.at(-1)!.id) });
    expect(second.map((event) => (event.event === "status" ? event.data.status : event.data.line))).toEqual(["queued", "running", "approved by Dana", "done"]);
    const done = await api.get(`/api/runs/${runId}`);
    expect(done.body.status).toBe("done");
    expect(done.body.output).toEqual(["summary of INV-42", "approved by Dana"]);
    // The journaled model call was not made again on resuming.
    expect(models.requests.filter((request) => request.path === "/v1/chat/completions")).toHaveLength(1);
    // The usage the worker recorded in Redis, summed by the server (its workspace has none).
    const usage = await api.get("/api/usage?by=agent");
    expect(usage.status).toBe(200);
    expect(usage.body.total.attempts).toBe(1);
    expect(usage.body.rows.map((row: { key: string }) => row.key)).toEqual(["default"]);
    expect(done.body.usage.attempts).toBe(1);
  }, 60_000);
});

describe.skipIf(!hasRedisServer)("prose serve --queue when Redis goes away (needs /usr/bin/redis-server)", () => {
  it("answers 503 in English, naming the URL without its password, within seconds; and starts nothing", async () => {
    const redis = await startRedisServer({ requirePass: "queue-secret-77" });
    const url = `redis://:queue-secret-77@127.0.0.1:${redis.port}`;
    const folder = mkdtempSync(join(tmpdir(), "prose-queue-serve-down-"));
    const scripts = join(folder, "scripts");
    mkdirSync(scripts);
    writeFileSync(join(scripts, "hello.prose"), 'say "hello"\n');
    const workspace = join(folder, "workspace");
    const runs = await QueuedRunService.open({ workspace, scriptsRoot: scripts, environment: {}, url, store: openRedisRunStore(url, {}), log: () => undefined });
    const server = await startApiServer({ workspace, scriptsRoot: scripts, host: "127.0.0.1", port: 0, maxRuns: 4, environment: {}, runs, log: () => undefined });
    try {
      const { token } = await createToken(workspace, { agents: [], name: "tests", now: new Date() });
      const api = new ApiClient(server.url, token);
      expect((await api.post("/api/runs", { script: "hello.prose" })).status).toBe(202);
      await redis.stop();
      const started = Date.now();
      const refused = await api.post("/api/runs", { script: "hello.prose" });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(refused.status).toBe(503);
      expect(refused.body.error.message).toContain(`redis://127.0.0.1:${redis.port}`);
      expect(refused.body.error.message).toMatch(/could not be reached/);
      expect(JSON.stringify(refused.body)).not.toContain("queue-secret-77");
      expect(refused.body.error.fix).toMatch(/Start Redis/);
    } finally {
      await server.close();
      await redis.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
