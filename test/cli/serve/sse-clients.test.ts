import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServer } from "../../../src/cli/serve/api-server.js";
import { createToken } from "../../../src/cli/serve/token-store.js";
import { answerByPrompt } from "../../support/journaled-run.js";
import { startOpenAiServer } from "../../support/openai-server.js";
import type { ScriptedServer } from "../../support/scripted-server.js";
import { ApiClient } from "./api-client.js";

/** 1,000 clients open a running run's event stream and go away: nothing is kept of them, and the server goes on. */
let folder: string;
let models: ScriptedServer;
let server: ApiServer;
let api: ApiClient;
let token: string;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapMegabytes(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "prose-serve-sse-"));
  mkdirSync(join(folder, "scripts"));
  writeFileSync(join(folder, "scripts", "slow.prose"), 'say "started"\nask the model "wait a little"\nsay the answer\n');
  models = await startOpenAiServer();
  answerByPrompt(models, (prompt) => `answer to ${prompt}`, () => 60_000);
  const workspace = join(folder, "workspace");
  server = await startApiServer({ workspace, scriptsRoot: join(folder, "scripts"), host: "127.0.0.1", port: 0, maxRuns: 4, environment: { OPENAI_API_KEY: "sk-sse-0123456789", OPENAI_BASE_URL: `${models.url}/v1` }, log: () => undefined });
  token = (await createToken(workspace, { agents: [], now: new Date() })).token;
  api = new ApiClient(server.url, token);
});

afterAll(async () => {
  await server?.close();
  await models?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe("1,000 SSE clients opening and closing", () => {
  it("leave no subscriber and no memory behind; the server still answers", async () => {
    const runId = (await api.post("/api/runs", { script: "slow.prose" })).body.runId as string;
    const events = server.manager.eventsOf(runId)!;
    const heapBefore = heapMegabytes();
    const heaps: number[] = [];
    for (let round = 0; round < 8; round++) {
      if (round === 4) heaps.push(heapMegabytes());
      const clients = await Promise.all(
        Array.from({ length: 250 }, async () => {
          const controller = new AbortController();
          const response = await fetch(`${server.url}/api/runs/${runId}/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
          const reader = response.body!.getReader();
          const first = new TextDecoder().decode((await reader.read()).value);
          return { controller, reader, first };
        }),
      );
      for (const client of clients) expect(client.first).toContain("event: status");
      expect(events.subscriberCount).toBe(250);
      for (const client of clients) client.controller.abort();
      const start = Date.now();
      while (events.subscriberCount > 0 && Date.now() - start < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events.subscriberCount).toBe(0);
    }
    const heapAfter = heapMegabytes();
    console.log(`SSE: heap ${heapBefore.toFixed(1)} MB before, ${heaps[0]!.toFixed(1)} MB after 1,000 clients opened and closed, ${heapAfter.toFixed(1)} MB after 1,000 more (test process, its fetch pool and the server together)`);
    // The first thousand warm up the connection pools; a second thousand must not grow the heap.
    expect(heapAfter - heaps[0]!).toBeLessThan(5);
    expect((await api.get("/api/health")).body).toEqual({ status: "ok", runs: { running: 1, queued: 0 } });
    expect((await api.get(`/api/runs/${runId}`)).body.output).toEqual(["started"]);
    expect((await api.post(`/api/runs/${runId}/cancel`)).body.status).toBe("failed");
  }, 120_000);
});
