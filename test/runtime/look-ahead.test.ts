import { describe, expect, it } from "vitest";
import { waiting } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

const subjects = (result: { questions: Array<{ subject?: string; text: string }> }) => result.questions.map((question) => question.subject ?? question.text);

const vendorPo = lines(
  'say "Starting"',
  "get the vendor's email",
  "get the PO number",
  'ask "How should we notify the vendor?"',
  '    the choices are "Email", "SMS"',
  'say "Sending PO {the PO number} to {the vendor\'s email} by {the answer}"',
);

describe("a headless run reports every question it can reach in one stop", () => {
  it("lists independent questions together", async () => {
    const result = await waiting(vendorPo);
    expect(subjects(result)).toEqual(["the vendor's email", "the po number", "How should we notify the vendor?"]);
    expect(result.output).toEqual(["Starting"]);
  });

  it("keeps the ids a run raises when it stops at each question in turn", async () => {
    const all = await waiting(vendorPo);
    const afterFirst = await waiting(vendorPo, { answers: { "the vendor's email": { value: "a@b.c" } } });
    expect(afterFirst.questions.map((question) => question.id)).toEqual(all.questions.slice(1).map((question) => question.id));
  });

  it("finishes when one set of answers answers them all", async () => {
    const { questions } = await waiting(vendorPo);
    const answers = { "the vendor's email": { value: "ap@acme.test" }, "the PO number": { value: "PO-7" }, [questions[2].id]: { value: "sms" } };
    expect(await output(vendorPo, { answers })).toEqual(["Starting", "Sending PO PO-7 to ap@acme.test by SMS"]);
  });

  it("does not ask what depends on an unanswered value", async () => {
    const script = lines("get the rate", "the total is the rate * 100", "get the total's currency", "get the customer", "say the total");
    expect(subjects(await waiting(script))).toEqual(["the rate", "the customer"]);
  });

  it("looks past a line that is only a name, and an alias made with use … as", async () => {
    const script = lines("get the rate", "the rate", "the vendor's name is \"Acme\"", "the vendor", "use the vendor as the supplier", "get the supplier's email", "say the above");
    expect(subjects(await waiting(script))).toEqual(["the rate", "the supplier's email"]);
  });

  it("lets dependents cascade: a fact set from an unknown one is unknown too", async () => {
    const script = lines("get the rate", "the fee is the rate * 2", "the double fee is the fee * 2", "ensure the double fee is less than 10", "get the name");
    expect(subjects(await waiting(script))).toEqual(["the rate", "the name"]);
  });

  it("does not read a fact a question would replace (no stale value reaches a later question)", async () => {
    const script = lines("the limit is 5", 'ask "What is the new limit?"', "the limit is the answer", "ensure the limit is greater than 10", "get the owner");
    expect(subjects(await waiting(script))).toEqual(["What is the new limit?", "the owner"]);
  });

  it("skips a block whose condition reads an unknown value", async () => {
    const script = lines("get the amount", "if the amount is greater than 100", "    get the approver", "get the cost centre");
    expect(subjects(await waiting(script))).toEqual(["the amount", "the cost centre"]);
  });

  it("goes into a block whose condition is known", async () => {
    const script = lines("the region is \"EU\"", "get the amount", "if the region is \"EU\"", "    get the vat number", "otherwise", "    get the tax id");
    expect(subjects(await waiting(script))).toEqual(["the amount", "the vat number"]);
  });

  it("stops looking at a skipped `stop` or `fail`: what follows might never run", async () => {
    expect(subjects(await waiting(lines("get the amount", "if the amount is 0", "    stop", "get the approver")))).toEqual(["the amount"]);
    expect(subjects(await waiting(lines("get the amount", 'fail "no"', "get the approver")))).toEqual(["the amount"]);
  });

  it("stops looking at a procedure call whose procedure may stop or fail", async () => {
    const script = lines("to check an order", "    if the order is empty", '        fail "empty"', "get the order", "check the order", "get the approver");
    expect(subjects(await waiting(script))).toEqual(["the order"]);
  });

  it("goes past a procedure that cannot end the run, taking its result as unknown", async () => {
    const script = lines("to double a number", "    the result is the number * 2", "get the amount", "double the amount", "get the result's note", "get the approver");
    expect(subjects(await waiting(script))).toEqual(["the amount", "the approver"]);
  });

  it("looks through the rest of a procedure's body, then past the call", async () => {
    const script = lines("to greet a person", "    get the greeting", "    get the sign-off", 'greet "Jo"', "get the approver");
    expect(subjects(await waiting(script))).toEqual(["the greeting", "the sign-off", "the approver"]);
  });

  it("says nothing and writes nothing after the first question", async () => {
    const script = lines('say "one"', "get the name", 'say "two"', 'write "x" to the file "out.txt"', "get the city");
    const result = await run(script);
    expect(result).toMatchObject({ status: "waiting", output: ["one"] });
    expect(subjects(result)).toEqual(["the name", "the city"]);
  });

  it("does not take `the above` after a statement it skipped", async () => {
    const script = lines("get the name", "the copy is the above", "ensure the copy is not empty", "get the city");
    expect(subjects(await waiting(script))).toEqual(["the name", "the city"]);
  });

  it("stops looking at a later mistake, waiting with the questions found", async () => {
    const result = await waiting(lines("get the name", 'the total is "a" * 2', "get the city"));
    expect(subjects(result)).toEqual(["the name"]);
  });

  it("does not go on to the next rounds of a loop, which might stop", async () => {
    const script = lines("the items are 1, 2", "for each item in the items", "    get the label", "    if the item is 3", "        stop", "get the city");
    expect(subjects(await waiting(script))).toEqual(["the label"]);
  });

  it("goes past a loop that cannot end the run", async () => {
    const script = lines("the items are 1, 2", "for each item in the items", "    get the label", "get the city");
    expect(subjects(await waiting(script))).toEqual(["the label", "the city"]);
  });

  it("keeps collecting each parallel iteration's questions, and looks inside each", async () => {
    const script = lines("the codes are \"a\", \"b\"", "process each code in the codes in parallel", "    get the owner", "    get the due date", "get the city");
    const result = await waiting(script);
    expect(subjects(result)).toEqual(["the owner", "the due date", "the owner", "the due date", "the city"]);
    expect(new Set(result.questions.map((question) => question.id)).size).toBe(5);
  });

  it("asks two attributes of one record in one stop", async () => {
    expect(subjects(await waiting(lines("get the vendor's email", "get the vendor's phone", "say the vendor")))).toEqual(["the vendor's email", "the vendor's phone"]);
  });

  it("follows a record shared under two names: a check through the other name waits too", async () => {
    const script = lines('the invoice\'s status is "new"', "the copy is the invoice", 'ask "Approve it?"', "the invoice's status is the answer", 'ensure the copy\'s status is not "new"', "get the city");
    expect(subjects(await waiting(script))).toEqual(["Approve it?", "the city"]);
  });

  it("asks two missing attributes of a known record in one stop", async () => {
    const script = lines('the vendor\'s name is "Acme"', "get the vendor's email", "get the vendor's phone", "say the vendor");
    expect(subjects(await waiting(script))).toEqual(["the vendor's email", "the vendor's phone"]);
  });

  it("runs the checks of a `validate` that read nothing unknown, and leaves the others for later", async () => {
    const script = lines("the quantity is 0", "get the cost centre", "validate the following", "    ensure the quantity is greater than 0", '    ensure the cost centre starts with "CC-"', "get the buyer");
    const result = await waiting(script);
    expect(result.questions.map((question) => `${question.kind} ${question.subject}`)).toEqual(["value the cost centre", "validation the quantity", "value the buyer"]);
    const answered = await waiting(script, { answers: { "the cost centre": { value: "7100" }, "the quantity": { value: "3" }, "the buyer": { value: "Bo" } } });
    expect(answered.questions.map((question) => `${question.kind} ${question.subject}`)).toEqual(["validation the cost centre"]);
  });

  it("leaves a check for later when another check's answer would change what it reads", async () => {
    const script = lines("the total is 0", "get the rate", "validate the following", "    ensure the total is greater than the rate", "    ensure the total is less than 100", "get the buyer");
    expect(subjects(await waiting(script))).toEqual(["the rate", "the buyer"]);
  });
});
