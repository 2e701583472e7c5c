import { describe, expect, it } from "vitest";
import { lines, runSource } from "../../support/run-source.js";

describe("records shared between names", () => {
  it("a record added to a list in a loop keeps what it held when added", async () => {
    const result = await runSource(
      lines("the entries are nothing", 'for each name in ("ann", "bob")', "    the entry's person is the name", "    add the entry to the entries", "say the entries' persons"),
    );
    expect(result.output).toEqual(["ann and bob"]);
  });

  it("a plain value given to a name does not change a record another name still holds", async () => {
    const result = await runSource(
      lines(
        "to approve an invoice",
        '    the invoice\'s status is "approved"',
        "    the result is the invoice",
        'the invoice is "INV-1"',
        "the invoice's total is $5",
        "approve the invoice",
        'the result is "done"',
        "say the invoice",
        "say the invoice's status",
        "say the result",
      ),
    );
    expect(result.output).toEqual(["INV-1", "approved", "done"]);
  });

  it("an ISO text plus a number of days is a date", async () => {
    const result = await runSource(lines('the due date is "2024-11-05"', "say the due date + 30", 'say "Due: " + the due date'));
    expect(result.output).toEqual(["2024-12-05", "Due: 2024-11-05"]);
  });
});

describe("questions that read well", () => {
  it("asks about a plural name with `are`, and reads the answer as a list", async () => {
    const waiting = await runSource(lines("say the number of invoices"));
    expect(waiting.questions[0].text).toBe("What are the invoices?");
    const done = await runSource(lines("say the number of invoices"), { "the invoices": "INV-1, INV-2 and INV-3" });
    expect(done.output).toEqual(["3"]);
  });

  it("says which item a question in a loop is about", async () => {
    const waiting = await runSource(lines('the first invoice\'s number is "INV-1"', 'the second invoice\'s number is "INV-2"', "for each invoice in the invoices", "    say the invoice's approver"));
    expect(waiting.questions[0].text).toBe("What is the invoice's approver? (the invoice's number is INV-1)");
  });
});
