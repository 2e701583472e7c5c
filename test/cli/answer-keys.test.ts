import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { headlessCli } from "../support/headless-cli.js";

const cli = headlessCli("answer-keys");
const prose = cli.prose;

function script(name: string, ...lines: string[]): string {
  const path = join(cli.folder(), name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const runIdOf = (json: string) => (JSON.parse(json) as { runId: string }).runId;

describe("an answer key that matches no open question", () => {
  it("is a warning naming the open questions, on stderr", async () => {
    const path = script("po.prose", "get the vendor's email", "get the PO number", 'say "{the PO number} to {the vendor\'s email}"');
    const { code, err } = await prose("run", path, "--answer", "the vendr's email=x@y.z");
    expect(code).toBe(3);
    expect(err[0]).toMatch(/^warning: No open question matches "the vendr's email"; the open questions are: the vendor's email \(q-[0-9a-f]{12}\), the po number \(q-[0-9a-f]{12}\)\.$/);
  });

  it("is listed under `warnings` in --json", async () => {
    const path = script("po.prose", "get the vendor's email", 'say "{the vendor\'s email}"');
    const { code, out } = await prose("run", path, "--json", "--answer", "the vendr's email=x@y.z", "--answer", "the vendor's email=a@b.c");
    expect(code).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ status: "done", output: ["a@b.c"], warnings: ['No question matched the answer "the vendr\'s email": the run did not ask it.'] });
  });

  it("is no warning when every key answered a question", async () => {
    const path = script("po.prose", "get the vendor's email", 'say "{the vendor\'s email}"');
    const { code, out, err } = await prose("run", path, "--json", "--answer", "the vendor's email=a@b.c");
    expect(code).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ warnings: [] });
    expect(err).toEqual([]);
  });

  it("names a key from an answers file as written", async () => {
    const path = script("po.prose", "get the vendor's email", 'say "{the vendor\'s email}"');
    writeFileSync(join(cli.folder(), "answers.json"), JSON.stringify({ "The Vendor Mail": "x" }));
    const { err } = await prose("run", path, "--answers", join(cli.folder(), "answers.json"));
    expect(err[0]).toMatch(/^warning: No open question matches "The Vendor Mail"; the open questions are: the vendor's email \(q-/);
  });
});

describe("resuming a finished run with new answers", () => {
  it("says the run finished and how to start it again with the answers (exit 2)", async () => {
    const path = script("hello.prose", "get the name", 'say "Hello {the name}"');
    const first = await prose("run", path, "--json", "--input", "the name=Jo");
    expect(JSON.parse(first.out[0])).toMatchObject({ status: "done", output: ["Hello Jo"] });
    const resumed = await prose("run", "--resume", runIdOf(first.out[0]), "--answer", "the name=Bo");
    expect(resumed.code).toBe(2);
    expect(resumed.out).toEqual([]);
    expect(resumed.err).toEqual([
      `error: The run ${runIdOf(first.out[0])} already finished (done): it has no open question, so these answers can change nothing in it.`,
      `  To run the script again with them, start a new run: prose run ${path} --input "the name=Jo" --answer "the name=Bo"`,
    ]);
  });

  it("still resumes a waiting run with its answers", async () => {
    const path = script("hello.prose", "get the name", 'say "Hello {the name}"');
    const first = await prose("run", path, "--json");
    const resumed = await prose("run", "--resume", runIdOf(first.out[0]), "--answer", "the name=Bo");
    expect(resumed).toMatchObject({ code: 0, out: ["Hello Bo"] });
  });

  it("still resumes a finished run without answers: it replays", async () => {
    const path = script("hello.prose", 'say "Hello"');
    const first = await prose("run", path, "--json");
    const resumed = await prose("run", "--resume", runIdOf(first.out[0]));
    expect(resumed).toMatchObject({ code: 0, out: ["Hello"] });
  });

  it("resumes a failed run with answers: a corrected answer can mend what made it fail", async () => {
    const path = script("rate.prose", "get the rate", "if the rate is greater than 50", '    fail "The rate {the rate} is too high."', 'say "Rate {the rate}"');
    const first = await prose("run", path, "--json", "--answer", "the rate=90");
    expect(JSON.parse(first.out[0])).toMatchObject({ status: "failed" });
    const [question] = (JSON.parse((await prose("run", path, "--json")).out[0]) as { questions: Array<{ questionId: string }> }).questions;
    const resumed = await prose("run", "--resume", runIdOf(first.out[0]), "--answer", `${question.questionId}=20`);
    expect(resumed).toMatchObject({ code: 0, out: ["Rate 20"] });
  });
});
