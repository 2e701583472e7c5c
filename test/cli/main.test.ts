import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

let folder: string;

const stdinWasTerminal = process.stdin.isTTY;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-cli-"));
  // Headless, as in CI: a question makes the run wait instead of prompting.
  Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true });
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  Object.defineProperty(process.stdin, "isTTY", { value: stdinWasTerminal, configurable: true });
});

function script(name: string, source: string): string {
  const path = join(folder, name);
  writeFileSync(path, source);
  return path;
}

interface Outcome {
  code: number;
  out: string[];
  err: string[];
}

async function prose(...argv: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  // Runs keep their journals in a workspace of the test's own.
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { ...process.env, PROSE_HOME: join(folder, "workspace") });
  return { code, out, err };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `--json` prints exactly one line on stdout, and it is one JSON object. */
function onlyJson(outcome: Outcome): Record<string, unknown> {
  expect(outcome.out).toHaveLength(1);
  const parsed: unknown = JSON.parse(outcome.out[0]);
  expect(parsed).toBeTypeOf("object");
  expect(Array.isArray(parsed)).toBe(false);
  return parsed as Record<string, unknown>;
}

const documentedFields = ["status", "output", "facts", "questions", "error"];

function noStackTrace(outcome: Outcome): void {
  for (const line of [...outcome.out, ...outcome.err]) expect(line).not.toMatch(/^\s+at .+:\d+:\d+\)?$|\bError:|node_modules/m);
}

describe("prose run", () => {
  it("exits 0 when the run is done, printing what the script says", async () => {
    const outcome = await prose("run", script("hello.prose", 'the name is "world"\nsay "Hello, {the name}!"\n'));
    expect(outcome).toEqual({ code: 0, out: ["Hello, world!"], err: [] });
  });

  it("exits 1 when the script fails, with file:line:col, the line and a caret", async () => {
    const path = script("fail.prose", 'say "a"\nfail "Invoice {1 + 1} is wrong"\n');
    const outcome = await prose("run", path);
    expect(outcome.code).toBe(1);
    expect(outcome.out).toEqual(["a"]);
    expect(outcome.err.join("\n")).toMatch(
      new RegExp(`^${escape(`${path}:2:1: error: Invoice 2 is wrong\n  fail "Invoice {1 + 1} is wrong"\n  ${"^".repeat(31)}\nrun `)}(run-\\S+): prose run --resume \\1 runs it again, replaying the steps it finished$`),
    );
  });

  it("exits 1 on a runtime error, with its fix", async () => {
    const path = script("divide.prose", "the count is 0\nsay 10 / the count\n");
    const outcome = await prose("run", path);
    expect(outcome.code).toBe(1);
    expect(outcome.err.join("\n")).toContain(`${path}:2:5: error: I can't divide by zero.`);
    expect(outcome.err.join("\n")).toContain("fix: check the divisor before dividing");
    noStackTrace(outcome);
  });

  it("exits 2 for a script with errors, showing every problem and running nothing", async () => {
    const path = script("broken.prose", 'say "a"\nthe total is\nsplt "a b" into parts\n');
    const outcome = await prose("run", path);
    expect(outcome.code).toBe(2);
    expect(outcome.out).toEqual([]);
    const headlines = outcome.err.flatMap((text) => text.split("\n")).filter((line) => line.startsWith(path));
    expect(headlines.map((line) => line.slice(path.length))).toEqual([
      ':2:11: error: This line ends too early: after "is" I expected a value: a text in quotes, a number, yes or no, or a name that starts with "the".',
      ':3:1: error: I don\'t know how to "splt "a b" into parts".',
    ]);
  });

  it("exits 3 when the run waits on a question, listing it and how to answer", async () => {
    const path = script("question.prose", 'say "start"\nsay the vendor\n');
    const outcome = await prose("run", path);
    expect(outcome.code).toBe(3);
    expect(outcome.out).toEqual(["start"]);
    expect(outcome.err[0]).toBe("waiting: the run needs an answer to go on.");
    expect(outcome.err[1]).toMatch(/^ {2}q-[0-9a-f]{12} \(value\) What is the vendor\? {2}\[.*question\.prose:2:9\]$/);
    expect(outcome.err.at(-1)).toMatch(/^answer and resume: prose run --resume run-\d{8}T\d{6}-[a-z0-9]{6} --answer "the vendor=…" {2}\(or --answers answers\.json\)$/);
  });

  it("takes answers by fact name with --answer, and by id or text from --answers", async () => {
    const path = script("answers.prose", 'say the vendor\nask "How?"\n    the choices are "Email", "SMS"\nsay the answer\n');
    const first = await prose("run", path, "--answer", "the vendor=Acme", "--json");
    const question = (onlyJson(first).questions as Array<{ questionId: string }>)[0];
    expect(first.code).toBe(3);
    const answers = script("answers.json", JSON.stringify({ [question.questionId]: "sms", "What is the vendor?": "Acme" }));
    const second = await prose("run", path, "--answers", answers);
    expect(second).toEqual({ code: 0, out: ["Acme", "SMS"], err: [] });
  });

  it("takes skip as an answer", async () => {
    const outcome = await prose("run", script("skip.prose", "say the vendor\n"), "--answer", "the vendor=skip");
    expect(outcome).toEqual({ code: 0, out: ["nothing"], err: [] });
  });

  it("sets facts with --input", async () => {
    const outcome = await prose("run", script("input.prose", 'say the customer\nsay the total + 1\n'), "--input", "customer=John Smith", "--input", "the total=1,200");
    expect(outcome).toEqual({ code: 0, out: ["John Smith", "1201"], err: [] });
  });
});

describe("prose run --json", () => {
  it("prints one JSON object with the documented fields when done", async () => {
    const outcome = await prose("run", script("json-done.prose", 'the total is 0.1 + 0.2\nsay "hi"\n'), "--json");
    const json = onlyJson(outcome);
    expect(outcome.code).toBe(0);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(documentedFields));
    expect(json).toMatchObject({ status: "done", output: ["hi"], facts: { total: 0.3 }, questions: [], error: null });
    expect(outcome.err).toEqual([]);
  });

  it("prints the failure with message, at and fix, and nothing on stderr", async () => {
    const path = script("json-fail.prose", "say 1 / 0\n");
    const outcome = await prose("run", path, "--json");
    expect(outcome.code).toBe(1);
    expect(onlyJson(outcome)).toMatchObject({ status: "failed", output: [], questions: [], error: { message: "I can't divide by zero.", at: `${path}:1:5`, fix: expect.stringMatching(/^check the divisor/) } });
    expect(outcome.err).toEqual([]);
  });

  it("prints the open questions when waiting", async () => {
    const path = script("json-wait.prose", "say the vendor\n");
    const outcome = await prose("run", path, "--json");
    expect(outcome.code).toBe(3);
    expect(onlyJson(outcome)).toMatchObject({ status: "waiting", questions: [{ questionId: expect.stringMatching(/^q-/), kind: "value", text: "What is the vendor?", at: `${path}:1:9`, choices: [] }], error: null });
  });

  it("prints one JSON object for a script with errors too, and exits 2", async () => {
    const path = script("json-invalid.prose", 'say "hello\n');
    const outcome = await prose("run", path, "--json");
    expect(outcome.code).toBe(2);
    expect(onlyJson(outcome)).toMatchObject({ status: "invalid", runId: null, diagnostics: [{ code: "unclosed-text", severity: "error", message: "This text has no closing quote.", at: `${path}:1:5` }] });
  });

  it("keeps the script's output in the JSON, not on stdout", async () => {
    const outcome = await prose("run", script("json-say.prose", 'say "a"\nsay "b"\n'), "--json");
    expect(onlyJson(outcome).output).toEqual(["a", "b"]);
  });
});

describe("bad usage exits 2 with an English message and no stack trace", () => {
  it("a script that does not exist", async () => {
    const outcome = await prose("run", join(folder, "nope.prose"));
    expect(outcome.code).toBe(2);
    expect(outcome.err).toEqual([`error: I can't find the script ${join(folder, "nope.prose")}.`, "  Check the path; it is relative to the current folder."]);
    noStackTrace(outcome);
  });

  it("a folder instead of a script", async () => {
    const outcome = await prose("run", folder);
    expect(outcome).toMatchObject({ code: 2, err: [`error: ${folder} is a folder, not a script.`, "  Give the path of a .prose file."] });
  });

  it("an --answer without =", async () => {
    const outcome = await prose("run", script("bad-answer.prose", "say 1\n"), "--answer", "the vendor");
    expect(outcome).toEqual({ code: 2, out: [], err: ['error: --answer "the vendor" has no "=".', '  Write it as --answer "the vendor\'s email=x@y.z" or --answer "q-1a2b3c4d5e6f=Email".'] });
  });

  it("an --input without =", async () => {
    const outcome = await prose("run", script("bad-input.prose", "say 1\n"), "--input", "customer");
    expect(outcome.code).toBe(2);
    expect(outcome.err[0]).toBe('error: --input "customer" has no "=".');
  });

  it("an answers file that is missing, not JSON, or not an object", async () => {
    const path = script("answers-target.prose", "say 1\n");
    const missing = await prose("run", path, "--answers", join(folder, "none.json"));
    const broken = await prose("run", path, "--answers", script("broken.json", "{nope"));
    const array = await prose("run", path, "--answers", script("array.json", "[1]"));
    expect([missing.code, broken.code, array.code]).toEqual([2, 2, 2]);
    expect(missing.err[0]).toBe(`error: I can't read the answers file ${join(folder, "none.json")}.`);
    expect(broken.err[0]).toMatch(/^error: The answers file .*broken\.json is not valid JSON: .+\.$/);
    expect(array.err[0]).toMatch(/^error: The answers file .*array\.json must hold one JSON object, from question id or text to answer\.$/);
    for (const outcome of [missing, broken, array]) noStackTrace(outcome);
  });

  it("an --input file that does not exist", async () => {
    const outcome = await prose("run", script("doc-input.prose", "say the doc\n"), "--input", `doc=@${join(folder, "missing.txt")}`);
    expect(outcome.code).toBe(2);
    expect(outcome.err[0]).toMatch(/^error: --input doc: The file ".*missing\.txt" doesn't exist/);
    noStackTrace(outcome);
  });

  it("a missing argument or an unknown command", async () => {
    const missing = await prose("run");
    const unknown = await prose("frobnicate");
    expect(missing).toEqual({ code: 2, out: [], err: ["error: Give the script to run, or --resume <run id>.", "  For example: prose run invoice.prose"] });
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/^error: unknown command 'frobnicate'/);
  });

  it("--help and --version exit 0", async () => {
    expect((await prose("--help")).code).toBe(0);
    expect(await prose("--version")).toEqual({ code: 0, out: ["0.1.0"], err: [] });
  });
});

describe("prose check", () => {
  it("exits 0 and says so when a script has no problems", async () => {
    const path = script("clean.prose", 'say "hi"\n');
    expect(await prose("check", path)).toEqual({ code: 0, out: [`${path}: no problems found`], err: [] });
  });

  it("exits 2 and counts the errors of every file, running nothing", async () => {
    const clean = script("clean2.prose", 'say "hi"\n');
    const broken = script("broken2.prose", 'say "hi\nfail\nsay the total is\n');
    const outcome = await prose("check", clean, broken);
    expect(outcome.code).toBe(2);
    expect(outcome.out).toEqual([`${clean}: no problems found`]);
    expect(outcome.err.at(-1)).toBe("2 errors found.");
  });
});
