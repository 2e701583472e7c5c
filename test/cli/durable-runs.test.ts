import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startOpenAiServer } from "../support/openai-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";
import { answerByPrompt, promptOf } from "../support/journaled-run.js";

const apiKey = "sk-durable-runs-0123456789abcdefghij";
let folder: string;
let server: ScriptedServer;
const stdinWasTerminal = process.stdin.isTTY;

beforeAll(() => {
  // Headless: questions make the run wait.
  Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true });
});
afterAll(() => {
  Object.defineProperty(process.stdin, "isTTY", { value: stdinWasTerminal, configurable: true });
});
beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), "prose-durable-"));
  server = await startOpenAiServer();
  answerByPrompt(server, (prompt) => `answer to ${prompt}`);
});
afterEach(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

const workspace = () => join(folder, "workspace");

async function prose(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const environment = { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: `${server.url}/v1`, PROSE_HOME: workspace() };
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, environment, { currentDirectory: folder });
  return { code, out, err };
}

function script(name: string, source: string): string {
  const path = join(folder, name);
  writeFileSync(path, source);
  return path;
}

const summaryThenQuestion = 'ask the model "summarize the invoice"\nsay the answer\nsay "approved by {the approver}"\n';

describe("durable runs", () => {
  it("give every run an id and a journal; resuming with an answer replays the model call instead of making it again", async () => {
    const path = script("invoice.prose", summaryThenQuestion);
    const first = await prose("run", path, "--json");
    expect(first.code).toBe(3);
    const json = JSON.parse(first.out[0]) as { runId: string; status: string; questions: Array<{ questionId: string }> };
    expect(json.runId).toMatch(/^run-\d{8}T\d{6}-[a-z0-9]{6}$/);
    expect(json.status).toBe("waiting");
    const folderOfRun = join(workspace(), "runs", json.runId);
    expect(readdirSync(folderOfRun).sort()).toEqual(["journal.jsonl", "run.json"]);
    expect(server.requests).toHaveLength(1);

    const second = await prose("run", "--resume", json.runId, "--answer", `${json.questions[0].questionId}=Ann`);
    expect(second).toEqual({ code: 0, out: ["answer to summarize the invoice", "approved by Ann"], err: [] });
    expect(server.requests).toHaveLength(1);

    const record = JSON.parse(readFileSync(join(folderOfRun, "run.json"), "utf8"));
    expect(record).toMatchObject({ id: json.runId, script: path, status: "done", questions: [], output: ["answer to summarize the invoice", "approved by Ann"], usage: { modelCalls: 1 } });
    expect(record.timings.attempts.map((attempt: { status: string; usage: { modelCalls: number } }) => [attempt.status, attempt.usage.modelCalls])).toEqual([
      ["waiting", 1],
      ["done", 0],
    ]);
    expect(record.pid).toBeUndefined();
  });

  it("say how to resume a waiting run, and take answers by the question's text", async () => {
    const path = script("invoice.prose", summaryThenQuestion);
    const first = await prose("run", path);
    expect(first.code).toBe(3);
    const resume = first.err.at(-1)!;
    const id = /--resume (\S+)/.exec(resume)![1];
    expect(resume).toBe(`answer and resume: prose run --resume ${id} --answer "the approver=…"  (or --answers answers.json)`);
    const answers = script("answers.json", JSON.stringify({ "What is the approver?": "Bo" }));
    expect(await prose("run", "--resume", id, "--answers", answers)).toMatchObject({ code: 0, out: ["answer to summarize the invoice", "approved by Bo"] });
    expect(server.requests).toHaveLength(1);
  });

  it("a resumed run keeps its inputs and agent unless new ones are given", async () => {
    const path = script("greet.prose", 'ask the model "greet {the customer}"\nsay the answer\nsay the mood\n');
    const first = JSON.parse((await prose("run", path, "--input", "customer=Ann", "--json")).out[0]) as { runId: string };
    const second = await prose("run", "--resume", first.runId, "--answer", "the mood=happy");
    expect(second.out).toEqual(["answer to greet Ann", "happy"]);
    expect(server.requests.map(promptOf)).toEqual(["greet Ann"]);
  });

  it("prose runs list and prose runs show: status, questions, output, usage, timings", async () => {
    const path = script("invoice.prose", summaryThenQuestion);
    const { runId } = JSON.parse((await prose("run", path, "--json")).out[0]) as { runId: string };
    const list = await prose("runs", "list", "--json");
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.out[0]) as { workspace: string; runs: Array<Record<string, unknown>> };
    expect(listed.workspace).toBe(workspace());
    expect(listed.runs).toEqual([expect.objectContaining({ runId, status: "waiting", script: path, attemptCount: 1, questionCount: 1, modelCalls: 1 })]);

    const text = await prose("runs", "list");
    expect(text.out[0]).toMatch(/^ID +STATUS +STARTED +TIME +CALLS +SCRIPT$/);
    expect(text.out[1]).toContain(`${runId}  waiting (1 question)`);

    const shown = await prose("runs", "show", runId);
    expect(shown.code).toBe(0);
    expect(shown.out[0]).toBe(`run ${runId}  waiting (1 question)`);
    expect(shown.out).toContain("output:");
    expect(shown.out).toContain("  answer to summarize the invoice");
    expect(shown.out.join("\n")).toMatch(/\(value\) What is the approver\?/);
    expect(shown.out.at(-1)).toBe(`answer and resume: prose run --resume ${runId} --answer "the approver=…"`);

    const json = JSON.parse((await prose("runs", "show", runId, "--json")).out[0]) as Record<string, unknown>;
    expect(json).toMatchObject({ runId, status: "waiting", output: ["answer to summarize the invoice"], usage: { agent: "default", project: null, modelCalls: 1, attempts: 1, failedAttempts: 0 }, timings: { attempts: [{ status: "waiting", modelCalls: 1 }] } });
  });

  it("an unknown run id is a usage error", async () => {
    expect(await prose("run", "--resume", "run-nope")).toMatchObject({ code: 2, err: [`error: There is no run "run-nope" in the workspace ${workspace()}.`, expect.any(String)] });
    expect((await prose("runs", "show", "../../etc")).code).toBe(2);
    expect((await prose("run", "x.prose", "--concurrency", "0")).code).toBe(2);
  });

  it("a failed run says how to resume it; the resume retries only the step that failed", async () => {
    let fail = true;
    answerByPrompt(server, (prompt) => {
      if (prompt === "second" && fail) {
        fail = false;
        return { status: 400, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { message: "bad", type: "invalid_request_error", param: null, code: null } }) };
      }
      return `answer to ${prompt}`;
    });
    const path = script("two.prose", 'ask the model "first"\nsay the answer\nask the model "second"\nsay the answer\n');
    const first = await prose("run", path);
    expect(first.code).toBe(1);
    const id = /^run (\S+): prose run --resume \1 runs it again/.exec(first.err.at(-1)!)?.[1];
    expect(id).toBeDefined();
    const second = await prose("run", "--resume", id!);
    expect(second).toEqual({ code: 0, out: ["answer to first", "answer to second"], err: [] });
    expect(server.requests.map(promptOf)).toEqual(["first", "second", "second"]);
  });

  it("never writes the key into the workspace; the journal holds results, not requests", async () => {
    const path = script("invoice.prose", summaryThenQuestion);
    await prose("run", path);
    const runs = join(workspace(), "runs");
    const files = readdirSync(runs, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const contents of files) {
      expect(contents).not.toContain(apiKey);
      expect(contents).not.toContain("Answer the user's request");
    }
    expect(readFileSync(join(runs, ".gitignore"), "utf8")).toContain("*");
  });

  it("--concurrency sets how many items of a parallel loop run at once, and is kept for --resume", async () => {
    const path = script("parallel.prose", 'the items are "a", "b", "c"\nprocess each item in the items in parallel\n    ask the model "about {the item}"\n    say the answer\nsay the reviewer\n');
    const first = JSON.parse((await prose("run", path, "--concurrency", "2", "--json")).out[0]) as { runId: string; output: string[] };
    expect(first.output).toEqual(["answer to about a", "answer to about b", "answer to about c"]);
    const record = JSON.parse(readFileSync(join(workspace(), "runs", first.runId, "run.json"), "utf8"));
    expect(record.arguments.concurrency).toBe(2);
    expect((await prose("run", "--resume", first.runId, "--answer", "the reviewer=Al")).out).toEqual(["answer to about a", "answer to about b", "answer to about c", "Al"]);
    expect(server.requests).toHaveLength(3);
  });
});
