import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, spawnProse, until } from "../support/built-cli.js";
import { answerByPrompt, promptOf } from "../support/journaled-run.js";
import { startOpenAiServer } from "../support/openai-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";

/**
 * Group commit keeps the old promise: a durable step's record is on disk before its result is
 * used. The real command is killed with SIGKILL the moment it has said a model's answer; the
 * journal holds that answer every time, and the resumed run does not ask for it again.
 */
let folder: string;
let server: ScriptedServer;

beforeAll(async () => {
  buildIfStale();
  folder = mkdtempSync(join(tmpdir(), "prose-durable-kill-"));
  server = await startOpenAiServer();
  // The second call never answers in time: the process is killed while waiting for it.
  answerByPrompt(server, (prompt) => `answer to ${prompt}`, (prompt) => (prompt.startsWith("second") ? 60_000 : 0));
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({ OPENAI_API_KEY: "sk-durable-kill-test", OPENAI_BASE_URL: `${server.url}/v1` });

describe("a run killed with SIGKILL right after it used a durable step's result", () => {
  it("never loses that step (five times over), and the resumed run does not call the model for it again", async () => {
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const script = join(folder, `used-${attempt}.prose`);
      writeFileSync(script, `ask the model "first ${attempt}"\nsay "used: {the answer}"\nask the model "second ${attempt}"\nsay "done: {the answer}"\n`);
      const workspace = join(folder, `workspace-${attempt}`);
      const run = spawnProse(["run", script, "--workspace", workspace], { cwd: folder, env: env() });
      await until(() => run.stdout().includes("used: "), 20_000);
      run.child.kill("SIGKILL");
      expect(await run.exited).toBe("SIGKILL");
      expect(run.stdout()).toBe(`used: answer to first ${attempt}\n`);

      const id = readdirSync(join(workspace, "runs")).find((name) => name.startsWith("run-"))!;
      const journal = join(workspace, "runs", id, "journal.jsonl");
      expect(existsSync(journal)).toBe(true);
      const models = readFileSync(journal, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { kind: string; result?: { text?: string } })
        .filter((record) => record.kind === "model")
        .map((record) => record.result?.text);
      expect(models).toEqual([`answer to first ${attempt}`]);

      const firstAsked = server.requests.filter((request) => promptOf(request) === `first ${attempt}`).length;
      expect(firstAsked).toBe(1);
    }
    // Resuming one of them: the first call is replayed, never made again.
    answerByPrompt(server, (prompt) => `answer to ${prompt}`);
    const workspace = join(folder, "workspace-3");
    const id = readdirSync(join(workspace, "runs")).find((name) => name.startsWith("run-"))!;
    const resumed = spawnProse(["run", "--resume", id, "--workspace", workspace], { cwd: folder, env: env() });
    expect(await resumed.exited).toBe(0);
    expect(resumed.stdout()).toBe("used: answer to first 3\ndone: answer to second 3\n");
    expect(server.requests.filter((request) => promptOf(request) === "first 3")).toHaveLength(1);
  }, 120_000);
});
