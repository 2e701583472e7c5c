import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startOpenAiServer } from "../support/openai-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";
import { answerByPrompt, promptOf } from "../support/journaled-run.js";
import { buildIfStale } from "../support/built-cli.js";

/**
 * The real command line, killed with SIGKILL in the middle of a batch of model calls, then
 * resumed: every item completes, and no model call whose result the journal holds is made again.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const items = Array.from({ length: 12 }, (_, index) => `item ${index + 1}`);

let folder: string;
let server: ScriptedServer;

beforeAll(async () => {
  buildIfStale();
  folder = mkdtempSync(join(tmpdir(), "prose-sigkill-"));
  server = await startOpenAiServer();
  answerByPrompt(server, (prompt) => `answer to ${prompt}`, () => 250);
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

function prose(args: string[]) {
  return spawn(process.execPath, [join(root, "bin", "prose.js"), ...args], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? "", OPENAI_API_KEY: "sk-sigkill-test", OPENAI_BASE_URL: `${server.url}/v1` },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The model results the journal holds, by the item they answer. */
function journaledItems(journal: string): string[] {
  if (!existsSync(journal)) return [];
  return readFileSync(journal, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { kind: string; result?: { text?: string } })
    .filter((record) => record.kind === "model")
    .map((record) => record.result!.text!.replace("answer to ", ""));
}

async function until(condition: () => boolean, timeout: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a run killed with SIGKILL", () => {
  it("resumes: every item completes, and no finished model call is made twice", async () => {
    const script = join(folder, "batch.prose");
    writeFileSync(script, `the items are ${items.map((item) => `"${item}"`).join(", ")}\nprocess each item in the items in parallel as follows\n    ask the model "{the item}"\n    say "{the item}: {the answer}"\nsay "all done"\n`);
    const workspace = join(folder, "workspace");
    const child = prose(["run", script, "--workspace", workspace, "--concurrency", "3"]);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const runsFolder = join(workspace, "runs");
    await until(() => existsSync(runsFolder) && readdirSync(runsFolder).some((name) => name.startsWith("run-")), 15_000);
    const id = readdirSync(runsFolder).find((name) => name.startsWith("run-"))!;
    const journal = join(runsFolder, id, "journal.jsonl");
    await until(() => journaledItems(journal).length >= 4, 15_000);
    child.kill("SIGKILL");
    await exited;

    const finished = journaledItems(journal);
    expect(finished.length).toBeGreaterThanOrEqual(4);
    expect(finished.length).toBeLessThan(items.length);
    const sentBefore = server.requests.length;

    // The process is gone: the run shows as interrupted.
    const listed: string[] = [];
    await main(["runs", "list", "--json", "--workspace", workspace], { out: (line) => listed.push(line), err: () => undefined }, {});
    expect(JSON.parse(listed[0]).runs).toEqual([expect.objectContaining({ runId: id, status: "interrupted" })]);

    const resumed = prose(["run", "--resume", id, "--workspace", workspace, "--json"]);
    let stdout = "";
    let stderr = "";
    resumed.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    resumed.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => resumed.on("exit", (exitCode) => resolve(exitCode)));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { runId: string; status: string; output: string[]; usage: { modelCalls: number } };
    expect(result).toMatchObject({ runId: id, status: "done" });
    expect(result.output).toEqual([...items.map((item) => `${item}: answer to ${item}`), "all done"]);

    const askedAfter = server.requests.slice(sentBefore).map(promptOf);
    for (const item of finished) expect(askedAfter).not.toContain(item);
    expect(askedAfter.sort()).toEqual(items.filter((item) => !finished.includes(item)).sort());
    expect(result.usage.modelCalls).toBe(items.length - finished.length);
    expect(JSON.parse(readFileSync(join(runsFolder, id, "run.json"), "utf8"))).toMatchObject({ status: "done", output: result.output });
  }, 60_000);
});

describe("a run busy computing, sent SIGINT (Ctrl-C)", () => {
  it("stops within the loop, says where, and exits 130", async () => {
    const script = join(folder, "endless.prose");
    writeFileSync(script, `the counter is 0\nsay "started"\nrepeat 20000000 times\n    add 1 to the counter\nsay "finished"\n`);
    const child = prose(["run", script, "--workspace", join(folder, "busy-workspace")]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await until(() => stdout.includes("started"), 15_000);
    // Without the interpreter's pulse, the loop never lets the SIGINT handler run: it would finish and exit 0.
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stdout).toBe("started\n");
    expect(stderr).toContain("stopped: interrupted (Ctrl-C)");
    expect(stderr).toContain("endless.prose:4:5");
    expect(stderr).not.toMatch(/internal error|    at /);
  }, 60_000);
});
