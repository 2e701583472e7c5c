import { spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { FileJournal, maxJournalLineBytes } from "../../src/runtime/file-journal.js";
import type { LanguageModel } from "../../src/llm/language-model.js";
import { JournalRecordTooLarge } from "../../src/runtime/journal.js";
import { strandContext } from "../../src/runtime/journaled-context.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import { headlessCli } from "../support/headless-cli.js";
import { openAiCompletion, startOpenAiServer } from "../support/openai-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";
import { type FloodServer, hugeOpenAiCompletion, startFloodServer } from "../support/answers-flood-server.js";
import { buildIfStale } from "../support/built-cli.js";

/**
 * Finding 8: a 200 MB answer was journaled, and `--resume` crashed again reading the journal
 * ("heap out of memory", exit 134). Answers over the bound are refused before they reach the
 * journal; the journal refuses any line over its own bound, and reads its file line by line,
 * skipping (with a warning) a line over the bound that an earlier version wrote.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const megabyte = 1_000_000;
const cli = headlessCli("answers-journal");

const header = `${JSON.stringify({ prose: "journal", version: 1 })}\n`;
const record = (step: string, text: string) => ({ kind: "model" as const, step, fingerprint: "f".repeat(32), result: { text, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" } });

/** Writes a line of `bytes` letters as a model record's text, a megabyte at a time (never one string that large). */
function writeHugeRecord(descriptor: number, step: string, bytes: number, fingerprint = "f".repeat(32)): void {
  writeSync(descriptor, `{"kind":"model","step":${JSON.stringify(step)},"fingerprint":"${fingerprint}","result":{"text":"`);
  const piece = Buffer.alloc(megabyte, "a");
  for (let left = bytes; left > 0; left -= megabyte) writeSync(descriptor, left >= megabyte ? piece : piece.subarray(0, left));
  writeSync(descriptor, '","usage":{"inputTokens":1,"outputTokens":1},"finishReason":"stop","providerId":"openai","providerType":"openai","model":"gpt-4.1-mini","warnings":[]}}\n');
}

describe("the journal file", () => {
  it("refuses a record longer than a journal line may be, and writes nothing of it", async () => {
    const path = join(cli.folder(), "journal.jsonl");
    const journal = FileJournal.open(path);
    await journal.append(record("main.prose:1:1 model#1", "small"), { durable: true });
    const sizeBefore = statSync(path).size;
    let refused: unknown;
    try {
      journal.append(record("main.prose:2:1 model#1", "a".repeat(70 * megabyte)), { durable: true });
    } catch (problem) {
      refused = problem;
    }
    expect(refused).toBeInstanceOf(JournalRecordTooLarge);
    expect((refused as Error).message).toBe("A journal record of 70 MB is larger than a journal line may be (64 MB); it was not written.");
    await journal.close();
    expect(statSync(path).size).toBe(sizeBefore);
    expect(FileJournal.open(path).step("main.prose:2:1 model#1")).toBeUndefined();
  });

  it("reads line by line, skipping a line over the bound and keeping the records around it", async () => {
    const path = join(cli.folder(), "journal.jsonl");
    const descriptor = openSync(path, "w");
    writeSync(descriptor, header);
    writeSync(descriptor, `${JSON.stringify(record("main.prose:1:1 model#1", "before"))}\n`);
    writeHugeRecord(descriptor, "main.prose:2:1 model#1", 70 * megabyte);
    writeSync(descriptor, `${JSON.stringify(record("main.prose:3:1 model#1", "after"))}\n`);
    closeSync(descriptor);
    const journal = FileJournal.open(path);
    expect(journal.opening).toEqual({ replayable: 2, tornLine: false, skippedLines: 0, oversizeLines: 1 });
    expect(journal.step("main.prose:1:1 model#1")?.result).toMatchObject({ text: "before" });
    expect(journal.step("main.prose:2:1 model#1")).toBeUndefined();
    expect(journal.step("main.prose:3:1 model#1")?.result).toMatchObject({ text: "after" });
    await journal.close();
  });

  it("still cuts a torn last line, however long", async () => {
    const path = join(cli.folder(), "journal.jsonl");
    const descriptor = openSync(path, "w");
    writeSync(descriptor, header);
    writeSync(descriptor, `${JSON.stringify(record("main.prose:1:1 model#1", "kept"))}\n`);
    const whole = statSync(path).size;
    writeSync(descriptor, `{"kind":"model","step":"main.prose:2:1 model#1","result":{"text":"${"a".repeat(3 * megabyte)}`);
    closeSync(descriptor);
    const journal = FileJournal.open(path);
    expect(journal.opening).toEqual({ replayable: 1, tornLine: true, skippedLines: 0, oversizeLines: 0 });
    await journal.close();
    expect(statSync(path).size).toBe(whole);
  });
});

describe("a journaled model call whose result is longer than a journal line", () => {
  it("is used, not journaled, with a warning naming the call", async () => {
    const path = join(cli.folder(), "journal.jsonl");
    const journal = FileJournal.open(path);
    const text = "a".repeat(70 * megabyte);
    expect(text.length).toBeGreaterThan(maxJournalLineBytes);
    const model: LanguageModel = {
      providerId: "local",
      providerType: "custom",
      model: "llama",
      generate: async () => ({ text, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop", providerId: "local", providerType: "custom", model: "llama", warnings: [] }),
      stream: () => {
        throw new Error("not streamed");
      },
    };
    const warnings: string[] = [];
    const base: RunContext = {
      say: () => undefined,
      warn: (message) => warnings.push(message),
      now: () => new Date(),
      sleep: async () => undefined,
      readFile: async () => new Uint8Array(),
      writeFile: async () => undefined,
      models: { resolve: async () => model },
    };
    const context = strandContext(base, () => undefined, journal, { nextStep: (kind) => `main.prose:1:1 ${kind}#1`, where: () => "main.prose:1:1" });
    const result = await (await context.models!.resolve({})).generate({ messages: [{ role: "user", content: [{ type: "text", text: "Write a lot" }] }] });
    expect(result.text).toHaveLength(text.length);
    expect(warnings).toEqual([
      "The model's answer at main.prose:1:1 is 70 MB, more than the run's journal keeps (64 MB a record): it is used, but not journaled, and a resumed run does that step again.",
    ]);
    await journal.close();
    expect(statSync(path).size).toBeLessThan(100);
  });
});

describe("a run whose model answers more than the bound", () => {
  let flood: FloodServer;
  afterEach(async () => {
    await flood.close();
  });

  it("fails with the English message, and journals nothing of the answer", async () => {
    flood = await startFloodServer(hugeOpenAiCompletion(11 * megabyte));
    const workspace = join(cli.folder(), "workspace");
    const script = join(cli.folder(), "huge.prose");
    writeFileSync(script, 'ask the model "Write a lot"\nsay the answer\n');
    const out: string[] = [];
    const err: string[] = [];
    const environment = { OPENAI_API_KEY: "sk-huge-journal-0123456789", OPENAI_BASE_URL: `${flood.url}/v1`, PROSE_HOME: workspace };
    const code = await main(["run", script], { out: (line) => out.push(line), err: (line) => err.push(line) }, environment, { currentDirectory: cli.folder() });
    expect(code).not.toBe(0);
    expect(out).toEqual([]);
    expect(err.join("\n")).toContain('Provider "openai" (openai), model "gpt-4.1-mini": the answer is too large: it passed the bound of 10 MB');
    const [runId] = readdirSync(join(workspace, "runs")).filter((name) => name.startsWith("run-"));
    const journal = readFileSync(join(workspace, "runs", runId, "journal.jsonl"), "utf8");
    expect(journal.length).toBeLessThan(10_000);
    expect(journal).not.toContain('"kind":"model"');
    expect(statSync(join(workspace, "runs", runId, "run.json")).size).toBeLessThan(10_000);
  });
});

describe("resuming a run whose journal holds a 200 MB line (the real command, in a 256 MB heap)", () => {
  let server: ScriptedServer;


  beforeAll(() => buildIfStale(), 180_000);
  beforeEach(async () => {
    server = await startOpenAiServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("warns that the line was skipped, asks the model again, and finishes", async () => {
    const workspace = join(cli.folder(), "workspace");
    const environment = { OPENAI_API_KEY: "sk-huge-resume-0123456789", OPENAI_BASE_URL: `${server.url}/v1`, PROSE_HOME: workspace };
    const script = join(cli.folder(), "approve.prose");
    writeFileSync(script, 'ask the model "Summarize the invoice"\nsay the answer\nsay "approved by {the approver}"\n');
    server.enqueue(openAiCompletion("A short summary."));
    const first: string[] = [];
    expect(await main(["run", script, "--json"], { out: (line) => first.push(line), err: () => undefined }, environment, { currentDirectory: cli.folder() })).toBe(3);
    const waiting = JSON.parse(first[0]) as { runId: string; questions: Array<{ questionId: string }> };

    // What an earlier version left: the model's answer journaled whole, 200 MB on one line.
    const path = join(workspace, "runs", waiting.runId, "journal.jsonl");
    const lines = readFileSync(path, "utf8").split("\n").filter((line) => line !== "");
    const model = JSON.parse(lines.find((line) => line.includes('"kind":"model"'))!) as { step: string; fingerprint: string };
    const descriptor = openSync(path, "w");
    for (const line of lines.filter((candidate) => !candidate.includes('"kind":"model"'))) writeSync(descriptor, `${line}\n`);
    writeHugeRecord(descriptor, model.step, 200 * megabyte, model.fingerprint);
    closeSync(descriptor);

    server.enqueue(openAiCompletion("A short summary, again."));
    const child = spawn(process.execPath, ["--max-old-space-size=256", join(root, "bin", "prose.js"), "run", "--resume", waiting.runId, "--answer", `${waiting.questions[0].questionId}=Ann`], {
      cwd: cli.folder(),
      env: { PATH: process.env.PATH ?? "", ...environment },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));
    expect(stderr).not.toContain("heap out of memory");
    expect(stderr).toContain(`The journal of ${waiting.runId} has 1 record(s) larger than 64 MB`);
    expect(stderr).toContain("they were skipped without being read, and their steps are done again.");
    expect(stdout).toBe("A short summary, again.\napproved by Ann\n");
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(2);
  }, 120_000);
});
