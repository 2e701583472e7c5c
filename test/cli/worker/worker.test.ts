import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shownStatus, newRunRecord, type RunRecord } from "../../../src/runtime/run-store.js";
import { openRedisRunStore } from "../../../src/session/shared-runs/redis-run-store.js";
import { runQueueName, runQueuePrefix, type RunJob } from "../../../src/session/shared-runs/run-job.js";
import type { SharedRunStore } from "../../../src/session/shared-runs/shared-run-store.js";
import { buildIfStale, spawnProse, until as untilTrue, type SpawnedProse } from "../../support/built-cli.js";
import { answerByPrompt, promptOf } from "../../support/journaled-run.js";
import { contractObject, contractViolations } from "../../support/run-json-schema.js";
import { startOpenAiServer } from "../../support/openai-server.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../../support/redis-server.js";
import type { ScriptedServer } from "../../support/scripted-server.js";

/**
 * `prose worker` (the built CLI) against a real redis-server and a local OpenAI-compatible model
 * server: runs recorded in the shared store and queued with BullMQ, as `prose serve --queue` does,
 * are run by the worker, their journal, record and usage kept in Redis.
 */
describe.skipIf(!hasRedisServer)("prose worker (needs /usr/bin/redis-server; .ci/run installs it)", () => {
  let folder: string;
  let scripts: string;
  let redis: RedisServer;
  let models: ScriptedServer;
  let store: SharedRunStore;
  let queue: import("bullmq").Queue;
  let worker: SpawnedProse | undefined;
  let jobs = 0;

  beforeAll(async () => {
    buildIfStale();
    folder = mkdtempSync(join(tmpdir(), "prose-worker-"));
    scripts = join(folder, "scripts");
    mkdirSync(join(scripts, "invoices"), { recursive: true });
    writeFileSync(join(scripts, "invoices", "approve.prose"), 'ask the model "summarize invoice {the number}"\nsay the answer\nget the approver\nsay "approved by {the approver}"\n');
    writeFileSync(join(scripts, "three.prose"), 'ask the model "slow one of {the name}"\nask the model "slow two of {the name}"\nask the model "slow three of {the name}"\nsay "done {the name}"\n');
    writeFileSync(join(scripts, "broken.prose"), 'say "hello"\nrepeat until\n');
    redis = await startRedisServer();
    models = await startOpenAiServer();
    answerByPrompt(models, (prompt) => `summary of ${prompt.split(" ").at(-1)}`, (prompt) => (prompt.startsWith("slow") ? 1500 : 0));
    store = openRedisRunStore(redis.url, {});
    const { Queue } = await import("bullmq");
    queue = new Queue(runQueueName, { connection: { host: "127.0.0.1", port: redis.port }, prefix: runQueuePrefix });
  }, 120_000);

  afterAll(async () => {
    worker?.child.kill("SIGKILL");
    await queue?.close();
    await store?.close();
    await models?.close();
    await redis?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  function startWorker(): SpawnedProse {
    return spawnProse(["worker", "--queue", redis.url, "--scripts", scripts, "--workspace", join(folder, "workspace"), "--concurrency", "4"], {
      cwd: folder,
      env: { OPENAI_API_KEY: "sk-worker-test-0123456789", OPENAI_BASE_URL: `${models.url}/v1`, PROSE_LEASE_MILLISECONDS: "3000" },
    });
  }

  async function queued(script: string, inputs: string[], id: string): Promise<void> {
    const record: RunRecord = { ...newRunRecord(id, join(scripts, script), { inputs, concurrency: 4, files: { root: scripts } }, new Date()), scriptGiven: script };
    expect(await store.createQueued(record)).toBe(true);
  }

  async function enqueue(job: RunJob, options: { attempts?: number; backoff?: { type: "fixed"; delay: number } } = {}): Promise<void> {
    jobs += 1;
    await queue.add("run", job, { jobId: `${job.runId}.${jobs}`, ...options });
  }

  async function statusOf(id: string): Promise<string> {
    const record = await store.read(id);
    return record === undefined ? "missing" : shownStatus(record);
  }

  async function until(probe: () => Promise<boolean>, timeout = 30_000): Promise<void> {
    const start = Date.now();
    while (!(await probe())) {
      if (Date.now() - start > timeout) throw new Error(`timed out; worker said:\n${worker?.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("runs a queued run until its question, then resumes it with the answers on the next job, calling the model once", async () => {
    worker = startWorker();
    await untilTrue(() => /worker ready/.test(worker!.stderr()), 20_000);
    const id = "run-20261205T070000-wkone1";
    await queued("invoices/approve.prose", ["number=17"], id);
    expect(await statusOf(id)).toBe("running");
    await enqueue({ runId: id, script: "invoices/approve.prose" });
    await until(async () => (await statusOf(id)) === "waiting");
    const waiting = (await store.read(id))!;
    expect(waiting.output).toEqual(["summary of 17"]);
    expect(waiting.questions.map((question) => question.subject ?? question.text).join(" ")).toMatch(/approver/);

    expect(await store.requeue(id, "waiting")).toBe(true);
    await enqueue({ runId: id, script: "invoices/approve.prose", answers: [["the approver", { value: "Dana" }]] });
    await until(async () => (await statusOf(id)) === "done");
    const done = (await store.read(id))!;
    expect(done.output).toEqual(["summary of 17", "approved by Dana"]);
    expect(done.timings.attempts.map((attempt) => attempt.status)).toEqual(["waiting", "done"]);
    // The model was asked once: the second attempt took the journaled answer.
    expect(models.requests.filter((request) => promptOf(request) === "summarize invoice 17")).toHaveLength(1);
    const usage = await store.usageOf(id);
    expect(usage?.attempts).toBe(1);
  }, 60_000);

  it("shows the queue's runs with prose runs list|show --queue, as the JSON contract has them", async () => {
    const id = "run-20261205T070000-wkone1";
    const list = spawnProse(["runs", "list", "--queue", redis.url, "--json"], { cwd: folder });
    expect(await list.exited, list.stderr()).toBe(0);
    const listed = contractObject(list.stdout());
    expect(contractViolations(listed)).toEqual([]);
    expect(listed.workspace).toBe(`Redis at ${redis.url}`);
    expect((listed.runs as Array<{ runId: string; status: string }>).find((run) => run.runId === id)?.status).toBe("done");
    const show = spawnProse(["runs", "show", id, "--queue", redis.url, "--json"], { cwd: folder });
    expect(await show.exited, show.stderr()).toBe(0);
    const shown = contractObject(show.stdout());
    expect(contractViolations(shown)).toEqual([]);
    expect(shown.output).toEqual(["summary of 17", "approved by Dana"]);
    expect((shown.usage as { attempts: number }).attempts).toBe(1);
    const text = spawnProse(["runs", "show", id, "--queue", redis.url], { cwd: folder });
    expect(await text.exited).toBe(0);
    expect(text.stdout()).toMatch(/run run-20261205T070000-wkone1 {2}done/);
    const missing = spawnProse(["runs", "show", "run-20261205T000000-nosuch", "--queue", redis.url], { cwd: folder });
    expect(await missing.exited).toBe(2);
    expect(missing.stderr()).toMatch(/There is no run "run-20261205T000000-nosuch" in Redis at redis:\/\/127\.0\.0\.1:\d+/);
    const unreachable = spawnProse(["runs", "list", "--queue", "redis://127.0.0.1:1"], { cwd: folder });
    expect(await unreachable.exited).not.toBe(0);
    expect(unreachable.stderr()).toMatch(/The run store in Redis \(redis:\/\/127\.0\.0\.1:1\) could not be reached/);
    expect(unreachable.stderr()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("records a run whose script has errors now as failed, with the fix, and drops a job for a run that ended", async () => {
    const id = "run-20261205T070100-wktwo2";
    await queued("broken.prose", [], id);
    await enqueue({ runId: id, script: "broken.prose" });
    await until(async () => (await statusOf(id)) === "failed");
    const failed = (await store.read(id))!;
    expect(failed.error?.message).toMatch(/has errors now/);
    expect(failed.error?.fix).toMatch(/prose check/);
    await enqueue({ runId: id, script: "broken.prose" });
    await until(async () => /run-20261205T070100-wktwo2: not run here: the run is failed/.test(worker!.stderr()));
  }, 60_000);

  it("refuses a job whose script is not under its scripts root, in English", async () => {
    const id = "run-20261205T070200-wkthr3";
    await queued("invoices/approve.prose", [], id);
    await enqueue({ runId: id, script: "../outside.prose" });
    await until(async () => (await statusOf(id)) === "failed");
    expect((await store.read(id))!.error?.message).toMatch(/There is no script "..\/outside.prose" under this worker's scripts root/);
  }, 60_000);

  it("takes over the run of a worker killed with kill -9 once its lease has expired: no journaled model call is made again", async () => {
    // The worker of the tests before takes the run; a second one is started once the first call is journaled.
    const first = worker!;
    const id = "run-20261205T070300-wkfou4";
    await queued("three.prose", ["name=Ada"], id);
    await enqueue({ runId: id, script: "three.prose" });
    const { Redis } = await import("ioredis");
    const client = new Redis(redis.url);
    try {
      // The first call is journaled, the second is in flight.
      await until(async () => (await client.llen(`prose:run:${id}:journal`)) >= 1 && models.requests.some((request) => promptOf(request) === "slow two of Ada"));
      const second = startWorker();
      worker = second;
      await untilTrue(() => /worker ready/.test(second.stderr()), 20_000);
      first.child.kill("SIGKILL");
      await first.exited;
      await until(async () => (await statusOf(id)) === "done", 45_000);
    } finally {
      client.disconnect();
    }
    const done = (await store.read(id))!;
    expect(done.output).toEqual(["done Ada"]);
    expect(worker!.stderr(), worker!.stderr()).toMatch(/taking over its interrupted attempt/);
    const asked = (prompt: string) => models.requests.filter((request) => promptOf(request) === prompt).length;
    // Journaled before the kill: never asked again. In flight at the kill: asked again, once.
    expect(asked("slow one of Ada")).toBe(1);
    expect(asked("slow two of Ada")).toBe(2);
    expect(asked("slow three of Ada")).toBe(1);
    // One usage record per answered attempt: the one the killed worker never received has none.
    expect((await store.usageOf(id))?.attempts).toBe(3);
  }, 90_000);

  it("goes on from the journal when Redis stops answering mid-run and comes back: the job is tried again", async () => {
    worker ??= startWorker();
    await untilTrue(() => /worker ready/.test(worker!.stderr()), 20_000);
    const id = "run-20261205T070400-wkfiv5";
    await queued("three.prose", ["name=Bo"], id);
    // As prose serve --queue adds jobs: tried again after an error escaped the attempt.
    await enqueue({ runId: id, script: "three.prose" }, { attempts: 5, backoff: { type: "fixed", delay: 500 } });
    const { Redis } = await import("ioredis");
    const client = new Redis(redis.url);
    try {
      await until(async () => (await client.llen(`prose:run:${id}:journal`)) >= 1);
    } finally {
      client.disconnect();
    }
    // Redis stops answering for 5 s (longer than a command may wait, and than the lease).
    process.kill(redis.pid, "SIGSTOP");
    await new Promise((resolve) => setTimeout(resolve, 5000));
    process.kill(redis.pid, "SIGCONT");
    await until(async () => (await statusOf(id)) === "done", 60_000);
    const done = (await store.read(id))!;
    expect(done.output).toEqual(["done Bo"]);
    // Journaled before Redis stopped: never asked again.
    expect(models.requests.filter((request) => promptOf(request) === "slow one of Bo")).toHaveLength(1);
    expect(worker!.stderr()).toMatch(/could not be reached|did not answer/);
    // It went on from its journal on a later try of the job.
    expect(worker!.stderr()).toMatch(new RegExp(`run ${id}: taking over its interrupted attempt`));
    expect(worker!.stderr()).not.toMatch(/\n\s+at /);
  }, 90_000);

  it("says in English that Redis cannot be reached, naming the URL without its password, and exits 1", async () => {
    const unreachable = spawnProse(["worker", "--queue", "redis://:hunter2-secret@127.0.0.1:1", "--scripts", scripts, "--workspace", join(folder, "workspace")], { cwd: folder });
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.stderr()).toMatch(/redis:\/\/127\.0\.0\.1:1/);
    expect(unreachable.stderr()).not.toMatch(/hunter2/);
    expect(unreachable.stderr()).not.toMatch(/\n\s+at /);
  }, 30_000);
  it("stops on SIGTERM once its runs have ended", async () => {
    worker!.child.kill("SIGTERM");
    expect(await worker!.exited).toBe(0);
    expect(worker!.stderr()).toMatch(/stopping: no run in flight/);
    expect(worker!.stderr()).not.toMatch(/\n\s+at /);
    worker = undefined;
  }, 30_000);

});
