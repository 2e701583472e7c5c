import { describe, expect, it } from "vitest";
import { lines, runSource } from "../../support/run-source.js";

describe("a procedure's inputs", () => {
  it("are copied when they are plain values: assigning one inside leaves the caller's fact alone", async () => {
    const result = await runSource(
      lines("to bump a number", "    add 1 to the number", "    the result is the number", "the count is 5", "bump the count", "say the count", "say the result"),
    );
    expect(result.output).toEqual(["5", "6"]);
  });

  it("are shared when they are records: changes through possessives show to the caller", async () => {
    const result = await runSource(
      lines("to approve an invoice", '    the invoice\'s status is "approved"', "the invoice's total is $5", "approve the invoice", "say the invoice's status"),
    );
    expect(result.output).toEqual(["approved"]);
  });
});
