import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";
import { parseScript } from "../../src/syntax/parse-script.js";

describe("procedures", () => {
  it("take inputs through slots and return `the result`", async () => {
    const source = lines("to double a number", "    the result is the number times 2", "double 21", "say the result", "double 4 as the eight", "say the eight", "say the above");
    expect(await output(source)).toEqual(["42", "8", "8"]);
  });

  it("take several slots and fixed words between them", async () => {
    const source = lines("to describe a customer with a greeting", '    say "{the greeting}, {the customer}"', 'describe "Jo" with "Hello"');
    expect(await output(source)).toEqual(["Hello, Jo"]);
  });

  it("see their parameter block as facts", async () => {
    const source = lines("to greet a person", '    say "{the greeting}, {the person} ({the tone})"', 'greet "Jo"', '    the greeting is "Hi"', '    the tone is "friendly"');
    expect(await output(source)).toEqual(["Hi, Jo (friendly)"]);
  });

  it("see ordinal lines of the block as lists of records", async () => {
    const source = lines(
      "to show the fields",
      "    say the number of fields",
      "    say the second field",
      "    say the first field's format",
      "show the fields",
      '    the first field is "po number"',
      '    the first field\'s format is "string"',
      '    the second field is "date"',
    );
    expect(await output(source)).toEqual(["2", "date", "string"]);
  });

  it("change a record passed in, which the caller sees (records go by reference)", async () => {
    const source = lines("to approve an invoice", '    the invoice\'s status is "approved"', "    the result is the invoice", 'the invoice\'s number is "INV-7"', "approve the invoice", "say the invoice's status", "say the result's number");
    expect(await output(source)).toEqual(["approved", "INV-7"]);
  });

  it("keep their own facts to themselves, and copy plain inputs", async () => {
    const source = lines("to bump a count", "    the local is 1", "    add 1 to the count", "    the result is the count", "the n is 5", "bump the n", "say the result", "say the n", "if the local does not exist", '    say "no local"');
    expect(await output(source)).toEqual(["6", "5", "no local"]);
  });

  it("read the script's top-level facts", async () => {
    expect(await output(lines("to show the rate", "    say the rate", "the rate is 5%", "show the rate"))).toEqual(["5%"]);
  });

  it("return `the results` as a list", async () => {
    expect(await output(lines("to list things", '    the results are "a", "b"', "list things", "say the result"))).toEqual(["a and b"]);
  });

  it("return nothing when the body sets no result", async () => {
    const result = await run(lines("to do nothing much", '    say "hi"', "do nothing much", "say the result"));
    expect(result.output).toEqual(["hi", "nothing"]);
  });

  it("can be called before the line that defines them", async () => {
    expect(await output(lines("greet", "to greet", '    say "hello"'))).toEqual(["hello"]);
  });

  it("end the whole run with `stop`", async () => {
    const result = await run(lines("to halt", '    say "in"', "    stop", "halt", 'say "after"'));
    expect(result).toMatchObject({ status: "done", output: ["in"] });
  });

  it("may call themselves", async () => {
    const source = lines("to count down from a number", "    say the number", "    if the number is greater than 1", "        count down from the number - 1", "count down from 3");
    expect(await output(source)).toEqual(["3", "2", "1"]);
  });

  it("report endless recursion in English, at the call", async () => {
    expect(await failure(lines("to go around", "    go around", "go around"))).toEqual({
      message: 'Procedure calls are nested more than 200 deep at "go around": it probably calls itself without end.',
      at: "/scripts/main.prose:2:5",
      fix: "fix: make the procedure stop calling itself, for example with an `if` around the call.",
    });
  });

  it("report endless recursion that waited for an answer on the way", async () => {
    const askPerson = async () => ({ value: "x" });
    const result = await run(lines("to go around", "    say the colour", "    go around", "go around"), { askPerson });
    expect(result.error).toMatchObject({ message: 'Procedure calls are nested more than 200 deep at "go around": it probably calls itself without end.', at: "/scripts/main.prose:3:5" });
    expect(result.output).toHaveLength(200);
  });

  it("report a runtime error at the line inside the procedure", async () => {
    expect(await failure(lines("to divide a number", "    the result is the number / 0", "divide 5"))).toMatchObject({ message: "I can't divide by zero.", at: "/scripts/main.prose:2:19" });
  });

  it("from a learned file are callable, with paths relative to the script", async () => {
    const files = { "lib/approvals.prose": lines("to approve an invoice", '    the result is "approved {the invoice}"') };
    expect(await output(lines('learn "lib/approvals.prose"', 'approve "INV-7"', "say the result"), { files })).toEqual(["approved INV-7"]);
  });

  it("learned files may learn each other without looping forever", async () => {
    const files = { "a.prose": lines('learn "main.prose"', 'learn "b.prose"', "to hello", '    say "hello"'), "b.prose": lines('learn "a.prose"', "to bye", '    say "bye"') };
    expect(await output(lines('learn "a.prose"', "hello", "bye"), { files })).toEqual(["hello", "bye"]);
  });
});

describe("control flow", () => {
  it("loops over a list with `for each` / `process each … as follows`, naming the list or not", async () => {
    const source = lines('the names are "a", "b"', "for each name in the names", "    say the name", "process each name as follows", '    say "p {the name}"');
    expect(await output(source)).toEqual(["a", "b", "p a", "p b"]);
  });

  it("loops over plurals that are not just an s", async () => {
    expect(await output(lines('the categories are "x", "y"', "process each category", "    say the category", "the people are \"Jo\"", "for each person in the people", "    say the person"))).toEqual(["x", "y", "Jo"]);
  });

  it("loops over nothing zero times and over a single value once", async () => {
    expect(await output(lines("the items are nothing", "for each item in the items", '    say "never"', 'the thing is "one"', "for each part in the thing", "    say the part"))).toEqual(["one"]);
  });

  it("may change each item in place", async () => {
    const source = lines("the first invoice's total is 5", "the second invoice's total is 7", "process each invoice in the invoices in parallel", '    the invoice\'s status is "seen"', "say the invoices' statuses");
    expect(await output(source)).toEqual(["seen and seen"]);
  });

  it("repeats a block a number of times", async () => {
    expect(await output(lines("the n is 0", "repeat 3 times", "    add 1 to the n", "say the n", "repeat (the n - 1) times", '    say "x"', "repeat the n times:", "    add 1 to the n", "say the n"))).toEqual(["3", "x", "x", "6"]);
  });

  it("reports a repeat count that is not a whole number", async () => {
    expect(await failure(lines("repeat 2.5 times", '    say "x"'))).toEqual({
      message: '`repeat` needs a whole number of times, but got "2.5".',
      at: "/scripts/main.prose:1:8",
      fix: "fix: give a count such as 3 or `the number of invoices`.",
    });
  });

  it("`stop` ends the run successfully from inside blocks", async () => {
    expect(await run(lines('say "a"', "if yes", "    repeat 3 times", "        stop", 'say "b"'))).toMatchObject({ status: "done", output: ["a"], error: null });
  });

  it("`fail` ends the run with the message, file:line:col and no fix", async () => {
    const result = await run(lines('say "a"', 'fail "Invoice {1 + 1} is wrong"', 'say "b"'));
    expect(result).toMatchObject({ status: "failed", output: ["a"], error: { message: "Invoice 2 is wrong", at: "/scripts/main.prose:2:1" } });
  });

  it("`fail` without a message", async () => {
    expect(await failure(lines("fail"))).toEqual({ message: "The script failed.", at: "/scripts/main.prose:1:1" });
  });

  it("keeps the facts set before a failure", async () => {
    expect((await run(lines("the total is 5", 'fail "no"'))).facts).toEqual({ total: 5 });
  });
});

describe("a line that is only a name", () => {
  it("makes that value the above", async () => {
    expect(await output(lines('the order name is "Widgets"', "the order name", 'say "{the above}!"', "John's age is 3", "John's age", "the above", "say the above"))).toEqual(["Widgets!", "3"]);
  });

  it("in a call's block passes that fact under its own name", async () => {
    const source = lines("to review a candidate", '    say "{the candidate}: {the resume} ({the tone})"', 'the resume is "CV of Ann"', 'the applicant is "Ann"', "review the applicant", "    the resume", '    the tone is "kind"');
    expect(await output(source)).toEqual(["Ann: CV of Ann (kind)"]);
  });

  it("in a call's block, `the above` is refused: it has no name to pass", async () => {
    const { diagnostics } = parseScript(lines("to review a candidate", "    say 1", "review 5", "    the above"), "x.prose");
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["wrong-line-in-block"]);
  });
});

describe("`invoke` before a call sentence", () => {
  it("means the same call, with its block", async () => {
    const source = lines("to verify applicant qualifications", '    say "{the applicant}: {the years} years"', "invoke verify applicant qualifications with", '    the applicant is "Ann"', "    the years is 7", 'invoke make "abc" uppercase', "say the above");
    expect(await output(source)).toEqual(["Ann: 7 years", "ABC"]);
  });

  it("is part of the name of a procedure that starts with it", async () => {
    expect(await output(lines("to invoke a webhook", '    say "called {the webhook}"', 'invoke "hook-1"'))).toEqual(["called hook-1"]);
  });
});
