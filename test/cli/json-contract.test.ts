import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildIfStale, spawnProse } from "../support/built-cli.js";
import { contractObject, contractViolations } from "../support/run-json-schema.js";

/**
 * The JSON contract (docs/json-contract.md, schemas/run.schema.json) on every exit path of the
 * built CLI: `prose run --json` finished, failed at run time, invalid, refused as a usage mistake,
 * waiting, stopped and resumed; `prose runs show --json` and `prose runs list --json`. Each prints
 * exactly one JSON object on stdout that the schema accepts; the human message stays on stderr.
 */
let folder: string;
beforeAll(() => buildIfStale(), 120_000);
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-json-contract-"));
  mkdirSync(join(folder, "scripts"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function prose(args: string[], cwd = folder) {
  const child = spawnProse(args, { cwd, env: { PROSE_HOME: join(folder, "workspace") } });
  child.child.stdin.end();
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

function script(name: string, source: string): string {
  writeFileSync(join(folder, "scripts", name), source);
  return `scripts/${name}`;
}

const prices = `the price is $5.00
the discount is 20%
the fees are €1.50 and £2
the items are "pen", "ink" and "pad"
for each item in the items
    say "{the item}"
to double a number
    the result is the number * 2
double 4
say "{the price} less {the discount}"
`;

describe("prose run --json: a run that ends", () => {
  it("finished: money and percentages keep their unit; no loop item, no unnamed result in facts", async () => {
    const { code, stdout } = await prose(["run", script("prices.prose", prices), "--json"]);
    expect(code).toBe(0);
    const run = contractObject(stdout);
    expect(run).toMatchObject({ contract: 1, status: "done", stopped: null, script: "scripts/prices.prose", error: null, questions: [], output: ["pen", "ink", "pad", "$5.00 less 20%"] });
    expect(run.runId).toMatch(/^run-/);
    expect(run.facts).toEqual({
      price: { amount: 5, currency: "USD", text: "$5.00" },
      discount: { percent: 20, text: "20%" },
      fees: [{ amount: 1.5, currency: "EUR", text: "€1.50" }, { amount: 2, currency: "GBP", text: "£2.00" }],
      items: ["pen", "ink", "pad"],
    });
  });

  it("keeps a loop item or a result the script also sets by name", async () => {
    const file = script("named.prose", `the items are "a" and "b"\nfor each item in the items\n    say "{the item}"\nthe item is "last"\nthe result is 3\n`);
    const run = contractObject((await prose(["run", file, "--json"])).stdout);
    expect(run.facts).toEqual({ items: ["a", "b"], item: "last", result: 3 });
  });

  it("failed at run time: the error with its place (the path as given) and its fix", async () => {
    const { code, stdout, stderr } = await prose(["run", script("divide.prose", `the cost is $12.50\nsay "x"\nthe total is the cost / 0\n`), "--json"]);
    expect(code).toBe(1);
    const run = contractObject(stdout);
    expect(run).toMatchObject({ status: "failed", output: ["x"], facts: { cost: { amount: 12.5, currency: "USD", text: "$12.50" } }, error: { message: "I can't divide by zero.", at: "scripts/divide.prose:3:14" } });
    expect((run.error as { fix: string }).fix).toMatch(/^check the divisor/);
    expect(stderr).toBe("");
  });

  it("stopped by --timeout: failed, stopped says why, exit 124", async () => {
    const { code, stdout } = await prose(["run", script("wait.prose", `say "waiting"\nwait 60 seconds\nsay "done"\n`), "--timeout", "0.2", "--json"]);
    expect(code).toBe(124);
    expect(contractObject(stdout)).toMatchObject({ status: "failed", stopped: "timeout", output: ["waiting"], error: { at: "scripts/wait.prose:2:1" } });
  });
});

describe("prose run --json: a run that waits, then is resumed", () => {
  const order = `the total is $120
get the vendor's email
ask "Ship by?"
    the choices are "post" and "courier"
say "Sending {the total} to {the vendor's email} by {the answer}."
`;

  it("waiting: every question with its questionId and its place as the script was given; resumed from another folder, the same", async () => {
    const file = script("order.prose", order);
    const first = await prose(["run", file, "--json"]);
    expect(first.code).toBe(3);
    const waiting = contractObject(first.stdout);
    expect(waiting).toMatchObject({ status: "waiting", error: null, facts: { total: { amount: 120, currency: "USD", text: "$120.00" } } });
    const questions = waiting.questions as Array<Record<string, unknown>>;
    expect(questions.map((question) => [question.kind, question.at, question.subject])).toEqual([
      ["value", "scripts/order.prose:2:9", "the vendor's email"],
      ["choice", "scripts/order.prose:3:1", null],
    ]);
    expect(questions[1]).toMatchObject({ text: "Ship by?", choices: ["post", "courier"] });
    for (const question of questions) expect(question.questionId).toMatch(/^q-[0-9a-f]{12}$/);

    // From the scripts folder, a first answer: the run still waits, its places still as given.
    const runId = waiting.runId as string;
    const second = await prose(["run", "--resume", runId, "--answer", "the vendor's email=ap@acme.test", "--json"], join(folder, "scripts"));
    expect(second.code).toBe(3);
    const still = contractObject(second.stdout);
    expect(still).toMatchObject({ runId, status: "waiting", script: "scripts/order.prose", questions: [{ questionId: questions[1].questionId, at: "scripts/order.prose:3:1" }] });

    const third = await prose(["run", "--resume", runId, "--answer", `${questions[1].questionId as string}=courier`, "--json"], join(folder, "scripts"));
    expect(third.code).toBe(0);
    expect(contractObject(third.stdout)).toMatchObject({ runId, status: "done", questions: [], output: ["Sending $120.00 to ap@acme.test by courier."] });
  });

  it("prose runs show --json is the same view, with the timings; runs list --json names each run by runId", async () => {
    const file = script("order.prose", order);
    const ran = contractObject((await prose(["run", file, "--json"])).stdout);
    const runId = ran.runId as string;
    const shown = await prose(["runs", "show", runId, "--json"]);
    expect(shown.code).toBe(0);
    const view = contractObject(shown.stdout);
    for (const field of ["runId", "status", "stopped", "script", "output", "facts", "questions", "error", "usage"]) expect(view[field]).toEqual(ran[field]);
    expect((view.timings as { attempts: unknown[] }).attempts).toHaveLength(1);

    const listed = await prose(["runs", "list", "--json"]);
    expect(listed.code).toBe(0);
    const list = contractObject(listed.stdout);
    expect(list).toMatchObject({ status: "listed", runs: [{ runId, status: "waiting", script: "scripts/order.prose", attemptCount: 1, questionCount: 2 }] });
  });
});

describe("--json on the exit paths before a run", () => {
  it("an invalid script: every diagnostic, each with its code, place, notes and fix; nothing ran", async () => {
    const file = script("bad.prose", `say "hello"\nthe total is 5 +\nthe x is frobnicate the y\n`);
    const { code, stdout, stderr } = await prose(["run", file, "--json"]);
    expect(code).toBe(2);
    const invalid = contractObject(stdout);
    expect(invalid).toMatchObject({ status: "invalid", runId: null, script: "scripts/bad.prose" });
    const diagnostics = invalid.diagnostics as Array<{ code: string; severity: string; at: string; fix: string | null; notes: string[] }>;
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.at])).toEqual([
      ["unreadable-line", "error", "scripts/bad.prose:2:16"],
      ["unreadable-line", "error", "scripts/bad.prose:3:10"],
    ]);
    expect(diagnostics[0].fix).toBe('write the value after "+", as in `the total is 10`.');
    expect(diagnostics[1].fix).toMatch(/^if "frobnicate" is a name/);
    // The person still reads every problem, with its line, on stderr.
    expect(stderr).toContain("scripts/bad.prose:2:16: error:");
    expect(stderr).toContain("scripts/bad.prose:3:10: error:");
  });

  it("the warnings `prose check` gives ride along with the errors, each with its notes and its fix", async () => {
    const file = script("warned.prose", `the total is 5\nfrobnicate the total\nthe x is the totl\nsay "{the x}"\n`);
    const invalid = contractObject((await prose(["run", file, "--json"])).stdout);
    expect(invalid.diagnostics).toEqual([
      { code: "unknown-call", severity: "error", message: 'I don\'t know how to "frobnicate the total".', at: "scripts/warned.prose:2:1", notes: [], fix: "check the words of the line, or define the procedure with a `to …` line." },
      { code: "unset-fact", severity: "warning", message: '"the totl" is read here but never set.', at: "scripts/warned.prose:3:10", notes: ["did you mean: the total"], fix: 'correct the name, or set "the totl" (or give it with --input) if it is another fact.' },
    ]);
  });

  it.each([
    [["run", "--json", "--bogus", "x.prose"], "unknown option '--bogus'", "See `prose run --help` for what it takes."],
    [["run", "missing.prose", "--json"], "I can't find the script missing.prose.", "Check the path; it is relative to the current folder."],
    [["run", "--json"], "Give the script to run, or --resume <run id>.", "For example: prose run invoice.prose"],
    [["run", "x.prose", "--json", "--concurrency", "zero"], '--concurrency "zero" is not a whole number from 1 to 256.', "For example: --concurrency 8"],
    [["runs", "show", "run-nope", "--json"], /^There is no run "run-nope" in the workspace /, "See the runs with `prose runs list`."],
    [["runs", "show", "--json"], "missing required argument 'run id'", "See `prose runs show --help` for what it takes."],
    [["runs", "list", "--json", "--all"], "unknown option '--all'", "See `prose runs list --help` for what it takes."],
  ] as Array<[string[], string | RegExp, string]>)("a usage mistake (%j): one JSON error on stdout, the message on stderr, exit 2", async (args, message, fix) => {
    if (args[1] === "x.prose") script("x.prose", `say "x"\n`);
    const { code, stdout, stderr } = await prose(args.map((arg) => (arg === "x.prose" ? "scripts/x.prose" : arg)));
    expect(code).toBe(2);
    const refused = contractObject(stdout);
    expect(refused).toMatchObject({ contract: 1, status: "error", error: { kind: "usage", at: null, fix } });
    expect((refused.error as { message: string }).message).toMatch(message);
    expect(stderr).toMatch(/^error: /);
  });

  it("without --json, a usage mistake prints nothing on stdout", async () => {
    const { code, stdout, stderr } = await prose(["run", "--bogus", "x.prose"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe("error: unknown option '--bogus'\n");
  });
});

describe("the schema", () => {
  it("refuses the shapes the contract replaced: a bare id, a question's id, a number that lost its unit is still a number", () => {
    const run = { contract: 1, runId: "run-1", status: "done", stopped: null, script: "a.prose", output: [], facts: {}, questions: [], error: null, usage: { agent: "default", project: null, modelCalls: 0, inputTokens: 0, outputTokens: 0, attempts: 0, failedAttempts: 0, estimatedCostUsd: 0, unpricedAttempts: 0 }, timings: null, warnings: [] };
    expect(contractViolations(run)).toEqual([]);
    const { runId: _runId, ...withoutRunId } = run;
    expect(contractViolations({ ...withoutRunId, id: "run-1" })).not.toEqual([]);
    const question = { questionId: "q-0123456789ab", kind: "value", text: "?", at: "a.prose:1:1", choices: [], subject: null, expects: null, problem: null };
    expect(contractViolations({ ...run, status: "waiting", questions: [question] })).toEqual([]);
    const { questionId: _questionId, ...bare } = question;
    expect(contractViolations({ ...run, status: "waiting", questions: [{ ...bare, id: "q-0123456789ab" }] })).not.toEqual([]);
    expect(contractViolations({ status: "failed", output: [], facts: {}, questions: [], error: { message: "x", at: "a.prose:1:1" } })).not.toEqual([]);
    expect(contractViolations({ ...run, facts: { price: { amount: 5, currency: "USD", text: "$5.00" } } })).toEqual([]);
  });
});
