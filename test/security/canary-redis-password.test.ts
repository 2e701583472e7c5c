import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/cli/serve/token-store.js";
import { buildIfStale, spawnProse, until, type SpawnedProse } from "../support/built-cli.js";
import { type CanarySighting, describeSightings, findCanary } from "../support/canary-forms.js";
import { answerByPrompt } from "../support/journaled-run.js";
import { startOpenAiServer } from "../support/openai-server.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../support/redis-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";

/**
 * The Redis password as a canary: a redis-server that requires it, then `prose serve --queue`,
 * `prose worker` and `prose run` (shared limits) given it in PROSE_REDIS_PASSWORD, succeeding, and
 * given a wrong one or an unreachable Redis, failing. Every line they printed, every file under the
 * test's folder and every key and value in Redis (the queue, the run store, the limits) are then
 * searched for the password in every form (canary-forms.ts).
 */
const password = "RedisCanary/Pw+7xQ9zLm2Vb";

describe.skipIf(!hasRedisServer)("the Redis password never leaves the environment (needs /usr/bin/redis-server; .ci/run installs it)", () => {
  let folder: string;
  let redis: RedisServer;
  let models: ScriptedServer;
  const outputs: Array<{ command: string; process: SpawnedProse }> = [];
  const running: SpawnedProse[] = [];

  beforeAll(async () => {
    buildIfStale();
    folder = mkdtempSync(join(tmpdir(), "prose-canary-redis-"));
    mkdirSync(join(folder, "scripts"));
    writeFileSync(join(folder, "scripts", "approve.prose"), 'ask the model "summarize invoice {the number}"\nsay the answer\nget the approver\nsay "approved by {the approver}"\n');
    redis = await startRedisServer({ requirePass: password });
    models = await startOpenAiServer();
    answerByPrompt(models, (prompt) => `summary of ${prompt.split(" ").at(-1)}`);
  }, 120_000);

  afterAll(async () => {
    for (const child of running) child.child.kill("SIGKILL");
    await models?.close();
    await redis?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  function prose(args: string[], environment: Record<string, string>): SpawnedProse {
    const spawned = spawnProse(args, { cwd: folder, env: { OPENAI_API_KEY: "sk-canary-redis-0123456789", OPENAI_BASE_URL: `${models.url}/v1`, ...environment } });
    outputs.push({ command: `prose ${args.join(" ")}`, process: spawned });
    return spawned;
  }

  it("runs a queued run to its end with the password given, and fails in English with a wrong one or none", async () => {
    const queue = `redis://127.0.0.1:${redis.port}`;
    const workspace = join(folder, "workspace");
    const given = { PROSE_REDIS_PASSWORD: password };
    const worker = prose(["worker", "--queue", queue, "--scripts", join(folder, "scripts"), "--workspace", workspace], given);
    running.push(worker);
    await until(() => /worker ready/.test(worker.stderr()), 20_000);
    const server = prose(["serve", "--queue", queue, "--scripts", join(folder, "scripts"), "--workspace", workspace, "--port", "0"], given);
    running.push(server);
    await until(() => /listening on http/.test(server.stdout()), 20_000);
    const url = /listening on (http:\/\/\S+)/.exec(server.stdout())![1];
    const { token } = await createToken(workspace, { agents: [], now: new Date() });
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const started = (await (await fetch(`${url}/api/runs`, { method: "POST", headers, body: JSON.stringify({ script: "approve.prose", inputs: { number: "7" } }) })).json()) as { runId: string };
    const statusOf = async () => ((await (await fetch(`${url}/api/runs/${started.runId}`, { headers })).json()) as { status: string }).status;
    const waitFor = async (status: string) => {
      const start = Date.now();
      while ((await statusOf()) !== status) {
        if (Date.now() - start > 20_000) throw new Error(`the run did not become ${status}:\n${worker.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await waitFor("waiting");
    await fetch(`${url}/api/runs/${started.runId}/answers`, { method: "POST", headers, body: JSON.stringify({ answers: { "the approver": "Dana" } }) });
    await waitFor("done");
    // Every view the API has of it, printed to the same transcript.
    const answers: Array<{ where: string; text: string }> = [];
    for (const path of [`/api/runs/${started.runId}`, "/api/runs", "/api/usage", "/api/health"]) answers.push({ where: `the answer to GET ${path}`, text: await (await fetch(`${url}${path}`, { headers })).text() });

    // The shared limits with the password: `prose run` under PROSE_REDIS_URL.
    const run = prose(["run", join(folder, "scripts", "approve.prose"), "--input", "number=8", "--answer", "the approver=Ed", "--workspace", workspace], { PROSE_REDIS_URL: queue, ...given });
    expect(await run.exited, run.stderr()).toBe(0);

    // A wrong password, a password in the URL with a wrong one, no password: English, exit 1.
    for (const [args, environment] of [
      [["worker", "--queue", queue, "--scripts", join(folder, "scripts"), "--workspace", workspace], { PROSE_REDIS_PASSWORD: `${password}-wrong` }],
      [["worker", "--queue", `redis://:${encodeURIComponent(password)}x@127.0.0.1:${redis.port}`, "--scripts", join(folder, "scripts"), "--workspace", workspace], {}],
      [["serve", "--queue", queue, "--scripts", join(folder, "scripts"), "--workspace", workspace, "--port", "0"], { PROSE_REDIS_PASSWORD: `x${password}` }],
      [["run", join(folder, "scripts", "approve.prose"), "--input", "number=9", "--workspace", workspace], { PROSE_REDIS_URL: `redis://:${encodeURIComponent(password)}@127.0.0.1:1` }],
    ] as Array<[string[], Record<string, string>]>) {
      const failing = prose(args, environment);
      expect(await failing.exited, failing.stderr()).not.toBe(0);
      expect(failing.stderr(), failing.stderr()).toMatch(/redis:\/\/127\.0\.0\.1:\d+/);
      expect(failing.stderr()).not.toMatch(/\n\s+at /);
    }

    for (const child of running) child.child.kill("SIGTERM");
    await Promise.all(running.map((child) => child.exited));
    running.length = 0;

    const sightings: CanarySighting[] = [];
    for (const { command, process } of outputs) sightings.push(...findCanary(password, process.stdout(), `stdout of ${command}`), ...findCanary(password, process.stderr(), `stderr of ${command}`));
    for (const { where, text } of answers) sightings.push(...findCanary(password, text, where));
    for (const file of everyFile(folder)) sightings.push(...findCanary(password, readFileSync(file), file));
    const { Redis } = await import("ioredis");
    const client = new Redis({ host: "127.0.0.1", port: redis.port, password });
    try {
      const keys = await client.keys("*");
      // The queue, the run store and the limits all wrote there.
      expect(keys.some((key) => key.startsWith("prose:run:"))).toBe(true);
      expect(keys.some((key) => key.startsWith("prose:bull:"))).toBe(true);
      for (const key of keys) {
        const dumped = await client.dumpBuffer(key);
        if (dumped !== null) sightings.push(...findCanary(password, dumped, `Redis key ${key}`));
      }
    } finally {
      client.disconnect();
    }
    expect(sightings, describeSightings(sightings)).toEqual([]);
  }, 120_000);
});

function everyFile(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...everyFile(path));
    else if (statSync(path).isFile()) found.push(path);
  }
  return found;
}
