import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import { unsetFactWarnings } from "../../src/check/unset-facts.js";
import { formatLocation } from "../../src/syntax/span.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/** `prose check`'s "did you mean" for a fact read but never set (LANGUAGE.md §10.5). */

function warnings(source: string, learned: Record<string, string> = {}): string[] {
  const parsed = parseScript(source, "/s/x.prose");
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: (path) => learned[path] });
  expect([...parsed.diagnostics, ...program.diagnostics].map((diagnostic) => diagnostic.message)).toEqual([]);
  return unsetFactWarnings(program).map((diagnostic) => `${formatLocation(diagnostic.span)} ${diagnostic.severity}: ${diagnostic.message} ${(diagnostic.notes ?? [])[0]}`);
}

describe("a fact read but never set", () => {
  it("is a warning with the close name that is set", () => {
    expect(warnings('the invoice total is 120\nsay "Total: {the invoice totl}"\nsay the invoice totl\n')).toEqual([
      '/s/x.prose:2:14 warning: "the invoice totl" is read here but never set. did you mean: the invoice total',
    ]);
  });

  it("finds the typo in any word, and a swapped pair of letters", () => {
    expect(warnings("the custmer name is \"Jo\"\nsay the customer name\n")).toEqual(['/s/x.prose:2:5 warning: "the customer name" is read here but never set. did you mean: the custmer name']);
    expect(warnings("the vendor adress is \"x\"\nsay the vendor address\n")).toHaveLength(1);
    expect(warnings("the approver is \"x\"\nsay the aprpover\n")).toHaveLength(1);
  });

  it("is a warning, close to nothing or not, when the line is only that name: a step without its verb", () => {
    expect(warnings("the order is \"A-1\"\nthe order arrives\nthe order\nthe above\n")).toEqual([
      '/s/x.prose:2:1 warning: This line only reads "the order arrives", which the script never sets. fix: a line that is only a name just gives its value to `the above`; write what should happen (`the order\'s status is "arrived"`, or a procedure\'s call), or give the fact with --input if it is one.',
    ]);
  });

  it("stays silent when the name is close to nothing: the run asks for it", () => {
    expect(warnings("the invoice total is 1\nsay the vendor's email\nsay the discount rate\n")).toEqual([]);
  });

  it("takes only typos within words: another word of the same length is another fact", () => {
    expect(warnings('the central codes are "a"\nsay the central pages\nthe northern report is 1\nsay the northern vendors\n')).toEqual([]);
    expect(warnings("the invoice total is 1\nsay the invoicetotal\n")).toEqual(['/s/x.prose:2:5 warning: "the invoicetotal" is read here but never set. did you mean: the invoice total']);
  });

  it("stays silent for short names, whose one letter makes another word", () => {
    expect(warnings("the tax is 1\nsay the tip\nthe age is 2\nsay the ago\n")).toEqual([]);
  });

  it("reaches an attribute: one no line sets, close to one set on the same fact", () => {
    expect(warnings("the invoice's total is 5\nsay the invoice's totl\n")).toEqual(['/s/x.prose:2:19 warning: "the invoice\'s totl" is read here but no line sets it. did you mean: the invoice\'s total']);
    // An attribute set anywhere is known, whatever fact it was set on (a record may come from data).
    expect(warnings("the invoice's total is 5\nthe order's totl is 1\nsay the invoice's totl\n")).toEqual([]);
  });

  it("knows the facts a script sets without an assignment", () => {
    const source = [
      'learn "lib.prose"',
      "to approve an invoice",
      "    say the invoice's number",
      "    say the approval limit",
      "    the result is the invoice",
      "approve \"INV-7\"",
      "    the approval limit is 100",
      'greet "x"',
      '    the greeting is "hi"',
      "say the result",
      "say the results",
      'ask "Which?"',
      "say the answer",
      "process each invoice in the invoices",
      "    say the invoice",
      "for each vendor in the vendor list",
      "    say the vendor",
      'extract data from "a.txt"',
      '    the first field is "total"',
      "say the data's total",
      "summarize the data",
      "say the summary",
      'split "a b" into parts as the pieces',
      "say the pieces",
      "get the vendor's email",
      "say the vendor's email",
      "validate the following",
      "    ensure the approver is not empty",
      "say the approver",
      "say the greetings",
      "say the above",
      "",
    ].join("\n");
    expect(warnings(source, { "/s/lib.prose": "to greet a person\n    say the greeting\n" })).toEqual([]);
  });

  it("does not take a plural or a singular for a typo: the loop's list is the plural of its item", () => {
    expect(warnings("process each invoice\n    say the invoice\nthe vendor is \"a\"\nsay the vendors\n")).toEqual([]);
  });

  it("counts an ordinal as an item of its list, and as the fact it spells", () => {
    expect(warnings('the first vendor is "A"\nsay the vendors\nsay the last vendor\nsay the first vendor\n')).toEqual([]);
    expect(warnings('the first name is "A"\nsay the first nmae\n')).toEqual(['/s/x.prose:2:5 warning: "the first nmae" is read here but never set. did you mean: the first name']);
  });

  it("reports each name once, where it is first read", () => {
    expect(warnings("the total is 1\nsay the totl\nsay the totl\nif the totl is 1\n    say 1\n")).toEqual(['/s/x.prose:2:5 warning: "the totl" is read here but never set. did you mean: the total']);
  });

  it("finds every typo of a script of 20,000 facts, each compared with a bounded number of names", () => {
    const lines: string[] = [];
    const word = (index: number) => [...index.toString(26).padStart(4, "0")].map((digit) => String.fromCharCode(97 + parseInt(digit, 26))).join("");
    for (let index = 0; index < 20_000; index++) lines.push(`the ${word(index)} amount is ${index}`, `say the ${word(index)} amout`);
    const found = warnings(`${lines.join("\n")}\n`);
    expect(found).toHaveLength(20_000);
    expect(found[7]).toContain(`"the ${word(7)} amout" is read here but never set. did you mean: the ${word(7)} amount`);
  });
});
