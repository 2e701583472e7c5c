import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import { expectedInputs } from "../../src/check/expected-inputs.js";
import { formatLocation } from "../../src/syntax/span.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/** `prose check --inputs`: the facts a script expects from outside (LANGUAGE.md §10.5). */

function inputs(source: string, learned: Record<string, string> = {}): string[] {
  const parsed = parseScript(source, "/s/x.prose");
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: (path) => learned[path] });
  expect([...parsed.diagnostics, ...program.diagnostics].map((diagnostic) => diagnostic.message)).toEqual([]);
  return expectedInputs(program).map((input) => `${input.name} ${input.kind} ${formatLocation(input.span)}`);
}

describe("the inputs a script expects", () => {
  it("are the facts read before any line sets them, in the order first read, each once", () => {
    expect(inputs('say the vendor\'s email\nthe total is the subtotal + the tax\nsay the subtotal\nthe discount is 5\nsay the discount\nsay the total\n')).toEqual([
      "the vendor's email read /s/x.prose:1:5",
      "the subtotal read /s/x.prose:2:14",
      "the tax read /s/x.prose:2:29",
    ]);
  });

  it("count a fact asked with get, or named first by an ensure, as asked", () => {
    expect(inputs("get the approver\nsay the approver\nvalidate the following\n    ensure the amount is greater than the limit\n")).toEqual([
      "the approver get /s/x.prose:1:5",
      "the amount get /s/x.prose:4:12",
      "the limit read /s/x.prose:4:39",
    ]);
  });

  it("count a fact asked with a typed get (`get the spend as a number`) as asked", () => {
    expect(inputs("get the vendor's annual spend as a number\nsay the vendor's annual spend\nget the start as a date\n")).toEqual([
      "the vendor's annual spend get /s/x.prose:1:5",
      "the start get /s/x.prose:3:5",
    ]);
  });

  it("count a fact read before the line that sets it, even in a loop", () => {
    expect(inputs("process each claim in the claims\n    say the running total\n    the running total is 1\nthe note is \"x\"\n")).toEqual([
      "the claims read /s/x.prose:1:23",
      "the running total read /s/x.prose:2:9",
    ]);
  });

  it("leave out what the script sets itself: loop items, results, answers, in-place changes", () => {
    expect(inputs('ask "Go?"\nsay the answer\nsplit "a b" into parts\nsay the parts\nprocess each part in the parts\n    say the part\njoin the parts as the line\nsay the line\nthe count is 1\nadd 1 to the count\n')).toEqual([]);
  });

  it("in a procedure, are the facts neither its inputs, nor its callers' block lines, nor set at the top level", () => {
    const source = "to approve an invoice\n    say the invoice's number\n    say the tone\n    say the company\n    say the approval limit\nthe company is \"Acme\"\napprove \"INV-1\"\n    the tone is \"kind\"\n";
    expect(inputs(source)).toEqual(["the approval limit read /s/x.prose:5:9"]);
  });

  it("come from the script first, then from the procedures of the files it learns", () => {
    const lib = "to send a reminder\n    say the sender\n    say the reminder\n";
    expect(inputs('learn "lib.prose"\nsend "pay up"\nsay the due date\n', { "/s/lib.prose": lib })).toEqual(["the due date read /s/x.prose:3:5", "the sender read /s/lib.prose:2:9"]);
  });

  it("list a possessive on a fact not yet set whole, as --input takes it", () => {
    expect(inputs("say the customer's address's city\nsay the first vendor\n")).toEqual(["the customer's address's city read /s/x.prose:1:5", "the first vendor read /s/x.prose:2:5"]);
  });
});
