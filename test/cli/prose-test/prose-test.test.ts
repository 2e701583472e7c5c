import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-test-"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, source: string): string {
  const path = join(folder, name);
  writeFileSync(path, source);
  return path;
}

async function proseTest(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["test", ...argv], { out: (line) => out.push(line), err: (line) => err.push(line) }, {}, { currentDirectory: folder });
  return { code, out, err };
}

const invoice = `the data's total is the amount
the data's vendor is the vendor
if the amount is more than 1000 then
    say "needs approval"
otherwise
    say "approved"
`;

describe("prose test", () => {
  it("runs every test with its inputs and passes when every expectation holds", async () => {
    file("invoice.prose", invoice);
    file(
      "invoice.test.prose",
      `# The invoice script's rules
test "small invoices are approved"
run the script "invoice.prose"
    the amount is 200
    the vendor is "Acme"
expect the output to contain "approved"
expect the data's total to be 200
expect the data's vendor to be "acme"
expect the status to be "done"

test "big invoices need approval"
with the input "amount" as 1200
with the input "vendor" as "Big Co"
run the script "invoice.prose"
expect the data's total to be 1200
expect the output to be "needs approval"
expect the error to be nothing
`,
    );
    const outcome = await proseTest();
    expect(outcome).toEqual({ code: 0, out: ["invoice.test.prose", "  pass  small invoices are approved", "  pass  big invoices need approval", "2 passed, 0 failed (1 file)"], err: [] });
  });

  it("prints the expected and actual values of a failure with file:line, and exits 1", async () => {
    file("invoice.prose", invoice);
    file(
      "checks.test.prose",
      `test "wrong expectations"
run the script "invoice.prose"
    the amount is 1200
    the vendor is "Acme"
expect the data's total to be 1100
expect the output to contain "approved"
expect the data's currency to be "EUR"
expect the status to be "done"
`,
    );
    const outcome = await proseTest(".");
    expect(outcome.code).toBe(1);
    expect(outcome.out).toEqual([
      "checks.test.prose",
      "  FAIL  wrong expectations",
      "    checks.test.prose:5: expect the data's total to be 1100",
      "      expected: 1100",
      "      actual:   1200",
      '    checks.test.prose:6: expect the output to contain "approved"',
      '      expected: something containing "approved"',
      '      actual:   "needs approval"',
      `    checks.test.prose:7: expect the data's currency to be "EUR"`,
      "      The run did not set the data's currency.",
    ]);
    expect(outcome.err).toEqual(["0 passed, 1 failed (1 file)"]);
  });

  it("answers questions, and sees a run that waits or fails", async () => {
    file("ask.prose", 'ask "Which channel?"\n    the choices are "Email", "SMS"\nsay "by {the answer}"\nsay "to {the email}"\n');
    file("fail.prose", 'fail "no invoice"\n');
    file(
      "questions.test.prose",
      `test "answered"
answer "Which channel?" with "sms"
answer "the email" with "a@b.c"
run the script "ask.prose"
expect the output to be "by SMS\\nto a@b.c"

test "waiting"
answer "Which channel?" with "Email"
run the script "ask.prose"
expect the status to be "waiting"
expect the questions to contain "What is the email?"

test "failing"
run the script "fail.prose"
expect the status to be "failed"
expect the error to contain "no invoice"
`,
    );
    const outcome = await proseTest("questions.test.prose");
    expect(outcome.out).toEqual(["questions.test.prose", "  pass  answered", "  pass  waiting", "  pass  failing", "3 passed, 0 failed (1 file)"]);
    expect(outcome.code).toBe(0);
  });

  it("reports a test file's problems with a caret, and a missing script", async () => {
    file("bad.test.prose", 'say "before"\ntest "typo"\nrun the scrpt "x.prose"\n');
    file("missing.test.prose", 'test "missing"\nrun the script "nowhere.prose"\nexpect the status to be "done"\n');
    const outcome = await proseTest();
    expect(outcome.code).toBe(1);
    const printed = [...outcome.out, ...outcome.err].join("\n");
    expect(printed).toContain("bad.test.prose:1:1: error: This line comes before the first test.");
    expect(printed).toContain('bad.test.prose:3:1: error: I don\'t know how to "run the scrpt "x.prose"".');
    expect(printed).toContain("did you mean: run the script {path}");
    expect(printed).toContain("    missing.test.prose:2: run the script \"nowhere.prose\"");
    expect(printed).toContain(`      I can't find the script ${join(folder, "nowhere.prose")}.`);
    expect(outcome.err.at(-1)).toBe("0 passed, 2 failed (2 files)");
  });

  it("finds no tests", async () => {
    expect(await proseTest()).toEqual({ code: 1, out: [], err: ['No *.test.prose files found in ".".'] });
  });
});
