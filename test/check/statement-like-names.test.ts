import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/session/compile-script.js";

/** A statement's word never hides a procedure silently (LANGUAGE.md §10.1). */
function problems(source: string): string[] {
  const program = compileSource(source, "x.prose", { loadSource: () => undefined });
  return program.diagnostics.map((diagnostic) => `${diagnostic.code}: ${diagnostic.message}`);
}

describe("a procedure whose name starts with a statement's word", () => {
  it("is callable when its call is no statement", () => {
    expect(problems('to process a sale\n    say the sale\nthe sale is "S-1"\nprocess the sale\n')).toEqual([]);
    expect(problems('to say hello to a customer\n    say the customer\nsay hello to "Ann"\n')).toEqual([]);
    expect(problems("to validate an invoice\n    say the invoice\nvalidate 5\n")).toEqual([]);
    expect(problems("to set a timer\n    say the timer\nset the timer\n")).toEqual([]);
    expect(problems("to use a coupon\n    say the coupon\nuse 5\n")).toEqual([]);
    expect(problems("to stop a timer\n    say the timer\nstop 5\n")).toEqual([]);
    expect(problems("to repeat a message\n    say the message\nrepeat 5\n")).toEqual([]);
  });

  it("is an error at its definition when its call would read as the statement", () => {
    expect(problems('to ask a vendor\n    say the vendor\n')).toEqual([
      "procedure-hidden-by-statement: The procedure \"ask {vendor}\" could never be called: a line like `ask the vendor` is the `ask` statement.",
    ]);
    expect(problems("to say a greeting\n    say 1\n")[0]).toMatch(/^procedure-hidden-by-statement: .*`say the greeting` is the `say` statement/);
    expect(problems("to process each order\n    say 1\n")[0]).toMatch(/^procedure-hidden-by-statement: .*is a `process each` loop/);
    expect(problems("to if a thing\n    say 1\n")[0]).toMatch(/^procedure-hidden-by-statement: /);
    expect(problems("to fail an order\n    say 1\n")[0]).toMatch(/^procedure-hidden-by-statement: /);
  });

  it("leaves the statement's own problem when no procedure matches", () => {
    expect(problems("process the sale\n")).toEqual(["unreadable-line: This `process` line is no loop (a loop is `process each …`), and no procedure is called by these words."]);
    expect(problems("set the total 10\n")).toHaveLength(1);
  });

  it("keeps `validate the …` over `ensure` lines the validate statement", () => {
    expect(problems("the total is 5\nvalidate the invoice\n    ensure the total is greater than 1\n")).toEqual([]);
    const program = compileSource("validate the invoice\n    ensure 1 is 1\n", "x.prose", { loadSource: () => undefined });
    expect(program.script.statements.map((statement) => statement.kind)).toEqual(["validate"]);
  });

  it("keeps loops and statements as they were", () => {
    expect(problems('to process a sale\n    say the sale\nthe sales are 1, 2\nprocess each sale in the sales\n    say the sale\nvalidate the following\n    ensure 1 is 1\n')).toEqual([]);
  });
});
