import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { openAiCompletion } from "../../support/openai-server.js";
import { startScriptedServer, type ScriptedServer } from "../../support/scripted-server.js";

let folder: string;
let server: ScriptedServer;
let environment: Record<string, string>;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), "prose-test-replay-"));
  server = await startScriptedServer();
  environment = { OPENAI_API_KEY: "sk-prose-test-0123456789abcdefghijkl", OPENAI_BASE_URL: `${server.url}/v1` };
});
afterEach(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

async function proseTest(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["test", ...argv], { out: (line) => out.push(line), err: (line) => err.push(line) }, environment, { currentDirectory: folder });
  return { code, out, err };
}

const script = (prompt: string) => `ask the model "${prompt} {the invoice}"
if the answer contains "yes" then
    say "approved"
otherwise
    say "rejected"
`;

const test = `test "the model approves the invoice"
run the script "review.prose"
    the invoice is "INV-7 for $1,200"
expect the output to be "approved"
expect the answer to be "yes, it looks fine"
`;

describe("prose test with a model call", () => {
  it("records the model's answer with --record, then replays it without calling the provider", async () => {
    writeFileSync(join(folder, "review.prose"), script("Is this invoice fine?"));
    writeFileSync(join(folder, "review.test.prose"), test);
    server.enqueue(openAiCompletion("yes, it looks fine"));

    const recording = await proseTest("--record");
    expect(recording).toEqual({
      code: 0,
      out: ["review.test.prose", "  pass  the model approves the invoice", "  recorded 1 model call in review.test.journal.jsonl", "1 passed, 0 failed (1 file)"],
      err: [],
    });
    expect(server.requests).toHaveLength(1);
    const journal = readFileSync(join(folder, "review.test.journal.jsonl"), "utf8");
    expect(journal).toContain('"test":"the model approves the invoice"');
    expect(journal).toContain("yes, it looks fine");
    expect(journal).not.toContain(environment.OPENAI_API_KEY);

    const replay = await proseTest();
    expect(replay).toEqual({ code: 0, out: ["review.test.prose", "  pass  the model approves the invoice", "1 passed, 0 failed (1 file)"], err: [] });
    expect(server.requests).toHaveLength(1);
  });

  it("fails a test whose model call is not in the journal, calling no provider", async () => {
    writeFileSync(join(folder, "review.prose"), script("Is this invoice fine?"));
    writeFileSync(join(folder, "review.test.prose"), test);
    server.enqueue(openAiCompletion("yes, it looks fine"));
    expect((await proseTest("--record")).code).toBe(0);

    writeFileSync(join(folder, "review.prose"), script("Should we pay this invoice?"));
    const changed = await proseTest();
    expect(changed.code).toBe(1);
    expect(changed.out.slice(0, 4)).toEqual([
      "review.test.prose",
      "  FAIL  the model approves the invoice",
      '    review.test.prose:2: run the script "review.prose"',
      "      This model call is not in the test's recorded journal (the script, its inputs or the test changed since it was recorded, or it never was): run `prose test --record` to record it from a real run.",
    ]);
    expect(changed.out.join("\n")).toContain("review.prose:1:1 is not the one this run's journal holds");
    expect(server.requests).toHaveLength(1);
  });

  it("fails with the same message when nothing was ever recorded", async () => {
    writeFileSync(join(folder, "review.prose"), script("Is this invoice fine?"));
    writeFileSync(join(folder, "review.test.prose"), test);
    const outcome = await proseTest();
    expect(outcome.code).toBe(1);
    expect(outcome.out[3]).toContain("This model call is not in the test's recorded journal");
    expect(existsSync(join(folder, "review.test.journal.jsonl"))).toBe(false);
    expect(server.requests).toHaveLength(0);
  });
});
