import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../../src/cli/serve/token-store.js";
import { buildIfStale, repositoryRoot } from "../../support/built-cli.js";
import { answerByPrompt, promptOf } from "../../support/journaled-run.js";
import { startOpenAiServer } from "../../support/openai-server.js";
import type { ScriptedServer } from "../../support/scripted-server.js";
import { ApiClient } from "./api-client.js";

/**
 * The built `prose serve` as a child process, killed with SIGKILL while runs make model calls to
 * a slow local model server, then started again: every interrupted run resumes from its journal
 * and finishes, no model call whose result was journaled is made again, waiting runs still wait.
 */
let folder: string;
let models: ScriptedServer;
const steps = 4;

beforeAll(async () => {
  buildIfStale();
  folder = mkdtempSync(join(tmpdir(), "prose-serve-restart-"));
  mkdirSync(join(folder, "scripts"));
  const lines = Array.from({ length: steps }, (_, index) => `ask the model "step ${index + 1} of {the name}"\nsay the answer\n`).join("");
  writeFileSync(join(folder, "scripts", "steps.prose"), `${lines}say "finished {the name}"\n`);
  writeFileSync(join(folder, "scripts", "ask.prose"), 'get the approver\nsay "approved by {the approver}"\n');
  models = await startOpenAiServer();
  answerByPrompt(models, (prompt) => `answer to ${prompt}`, () => 300);
}, 180_000);

afterAll(async () => {
  await models?.close();
  rmSync(folder, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | string>;
}

async function serve(workspace: string): Promise<Served> {
  const child = spawn(process.execPath, [join(repositoryRoot, "bin", "prose.js"), "serve", "--port", "0", "--workspace", workspace, "--scripts", join(folder, "scripts")], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? "", HOME: folder, OPENAI_API_KEY: "sk-serve-restart-0123456789", OPENAI_BASE_URL: `${models.url}/v1` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  // Its first lines: the URL, the workspace, the tokens (the runs it resumed come after).
  await until(() => /(can log in|No token yet)/.test(stdout) || child.exitCode !== null, 20_000);
  const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
  if (url === undefined) throw new Error(`prose serve did not start:\n${stdout}\n${stderr}`);
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

async function until(condition: () => boolean | Promise<boolean>, timeout: number): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeout) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The prompts whose results a run's journal holds. */
function journaled(workspace: string, runId: string): string[] {
  const journal = join(workspace, "runs", runId, "journal.jsonl");
  if (!existsSync(journal)) return [];
  return readFileSync(journal, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { kind: string; result?: { text?: string } })
    .filter((record) => record.kind === "model" && record.result?.text !== undefined)
    .map((record) => record.result!.text!.replace("answer to ", ""));
}

const expectedOutput = (name: string) => [...Array.from({ length: steps }, (_, index) => `answer to step ${index + 1} of ${name}`), `finished ${name}`];

describe("prose serve killed with SIGKILL and started again", () => {
  it("resumes every interrupted run from its journal: each finishes, no journaled model call is made again, a waiting run still waits", async () => {
    const workspace = join(folder, "killed");
    const { token } = await createToken(workspace, { agents: [], now: new Date() });
    const first = await serve(workspace);
    const api = new ApiClient(first.url, token);
    const names = ["ada", "bea", "cy"];
    const runs = new Map<string, string>();
    for (const name of names) runs.set(name, (await api.post("/api/runs", { script: "steps.prose", inputs: { name } })).body.runId);
    const waiting = (await api.post("/api/runs", { script: "ask.prose" })).body.runId as string;
    await until(async () => (await api.get(`/api/runs/${waiting}`)).body.status === "waiting", 20_000);
    // Mid-run: every run has at least one model result journaled, and none has all.
    await until(() => names.every((name) => journaled(workspace, runs.get(name)!).length >= 1), 20_000);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");

    const before = new Map(names.map((name) => [name, journaled(workspace, runs.get(name)!)]));
    for (const done of before.values()) expect(done.length).toBeLessThan(steps);
    const sentBefore = models.requests.length;

    const second = await serve(workspace);
    await until(() => second.stdout().includes("resumed"), 5_000);
    expect(second.stdout()).toMatch(/resumed 3 interrupted run\(s\)/);
    const again = new ApiClient(second.url, token);
    for (const name of names) {
      const runId = runs.get(name)!;
      await until(async () => (await again.get(`/api/runs/${runId}`)).body.status === "done", 30_000);
      const run = (await again.get(`/api/runs/${runId}`)).body;
      expect(run.output).toEqual(expectedOutput(name));
      expect(run.timings.attempts.map((attempt: { status: string }) => attempt.status)).toEqual(["running", "done"]);
    }
    // Asked after the restart: exactly the steps whose results were not journaled.
    const askedAfter = models.requests.slice(sentBefore).map(promptOf).sort();
    const missing = names.flatMap((name) => Array.from({ length: steps }, (_, index) => `step ${index + 1} of ${name}`).filter((prompt) => !before.get(name)!.includes(prompt)));
    expect(askedAfter).toEqual(missing.sort());
    const kept = [...before.values()].reduce((total, done) => total + done.length, 0);
    console.log(`restart: ${kept} of ${names.length * steps} model results journaled before SIGKILL, ${askedAfter.length} calls made after it (none of the journaled ones)`);
    // The waiting run still waits, its question in the inbox; answered, it finishes.
    expect((await again.get(`/api/runs/${waiting}`)).body.status).toBe("waiting");
    expect((await again.get("/api/questions")).body.questions.map((entry: { runId: string }) => entry.runId)).toEqual([waiting]);
    await again.post(`/api/runs/${waiting}/answers`, { answers: { "the approver": "Ann" } });
    await until(async () => (await again.get(`/api/runs/${waiting}`)).body.status === "done", 20_000);
    expect((await again.get(`/api/runs/${waiting}`)).body.output).toEqual(["approved by Ann"]);

    // A run shown done may still be finishing in the server (its usage flushed, its lease let go): wait until none is held.
    await until(async () => {
      const health = (await again.get("/api/health")).body;
      return health.runs.running === 0 && health.runs.queued === 0;
    }, 10_000);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.stderr()).toContain("stopping: no run in flight.");
  }, 120_000);

  it("stops the runs in flight on SIGINT as Ctrl-C does, and resumes them when started again", async () => {
    const workspace = join(folder, "stopped");
    const { token } = await createToken(workspace, { agents: [], now: new Date() });
    const first = await serve(workspace);
    const api = new ApiClient(first.url, token);
    const runId = (await api.post("/api/runs", { script: "steps.prose", inputs: { name: "dee" } })).body.runId as string;
    await until(() => journaled(workspace, runId).length >= 1, 20_000);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toMatch(/stopping: 1 run\(s\) in flight stopped as Ctrl-C stops them; they resume when the server starts again/);
    const stopped = JSON.parse(readFileSync(join(workspace, "runs", runId, "run.json"), "utf8"));
    expect(stopped).toMatchObject({ status: "failed", stopped: "interrupted" });

    const second = await serve(workspace);
    await until(() => second.stdout().includes("resumed"), 5_000);
    expect(second.stdout()).toContain(`resumed 1 interrupted run(s): ${runId}`);
    const again = new ApiClient(second.url, token);
    await until(async () => (await again.get(`/api/runs/${runId}`)).body.status === "done", 30_000);
    expect((await again.get(`/api/runs/${runId}`)).body.output).toEqual(expectedOutput("dee"));
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    // Started a third time, nothing is resumed again.
    const third = await serve(workspace);
    expect(third.stdout()).not.toContain("resumed");
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
  }, 120_000);
});
