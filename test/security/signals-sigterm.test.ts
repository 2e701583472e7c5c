import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer } from "../support/openai-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";
import { answerByPrompt } from "../support/journaled-run.js";
import { buildIfStale, spawnProse, until } from "../support/built-cli.js";

/**
 * SIGTERM (what a service manager, `kill` or a container runtime sends) stops a run as Ctrl-C
 * does: the model calls in flight are cancelled, every attempt's usage record is written, the run
 * is marked stopped, and the command says so in one English line and exits 143.
 */
let folder: string;
let server: ScriptedServer;

beforeAll(async () => {
  buildIfStale();
  folder = mkdtempSync(join(tmpdir(), "prose-sigterm-"));
  server = await startOpenAiServer();
  answerByPrompt(server, (prompt) => `answer to ${prompt}`, () => 300);
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

function jsonLines(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("a run sent SIGTERM", () => {
  it("stops like Ctrl-C: calls cancelled, every attempt's usage recorded, run marked stopped, exit 143", async () => {
    const items = Array.from({ length: 12 }, (_, index) => `item ${index + 1}`);
    const script = join(folder, "batch.prose");
    writeFileSync(script, `the items are ${items.map((item) => `"${item}"`).join(", ")}\nprocess each item in the items in parallel as follows\n    ask the model "{the item}"\n    say "{the item}: {the answer}"\nsay "all done"\n`);
    const workspace = join(folder, "workspace");
    const sentBefore = server.requests.length;
    const run = spawnProse(["run", script, "--workspace", workspace, "--concurrency", "3"], {
      cwd: folder,
      env: { OPENAI_API_KEY: "sk-sigterm-test", OPENAI_BASE_URL: `${server.url}/v1` },
    });
    const runsFolder = join(workspace, "runs");
    await until(() => existsSync(runsFolder) && readdirSync(runsFolder).some((name) => name.startsWith("run-")), 15_000);
    const id = readdirSync(runsFolder).find((name) => name.startsWith("run-"))!;
    const journal = join(runsFolder, id, "journal.jsonl");
    // Killed once three calls are done and the next three (the loop runs three at a time) have reached the server:
    // an attempt just started may otherwise be cancelled before its request arrives, and have a record the server never saw.
    await until(() => {
      const done = jsonLines(journal).filter((record) => record.kind === "model").length;
      return done >= 3 && server.requests.length - sentBefore === done + 3;
    }, 15_000);
    run.child.kill("SIGTERM");

    expect(await run.exited).toBe(143);
    expect(run.stderr()).toContain("stopped: terminated (SIGTERM); the model calls in flight were cancelled.");
    expect(run.stderr()).not.toMatch(/internal error|    at /);

    const journaled = jsonLines(journal).filter((record) => record.kind === "model");
    const usageFolder = join(workspace, "usage");
    const usage = readdirSync(usageFolder).flatMap((name) => jsonLines(join(usageFolder, name))).filter((record) => record.runId === id);
    // Every attempt that reached the server has its record; the finished ones are exactly the journaled calls.
    expect(usage.length).toBe(server.requests.length - sentBefore);
    expect(usage.filter((record) => record.outcome === "ok").length).toBe(journaled.length);
    expect(usage.some((record) => record.outcome === "aborted")).toBe(true);
    expect(JSON.parse(readFileSync(join(runsFolder, id, "run.json"), "utf8"))).toMatchObject({ status: "failed" });
  }, 60_000);
});
