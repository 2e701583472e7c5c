import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/**
 * What a line that matches no procedure is told. These lines stay wrong whatever v1 adds
 * (a proper name is capitalised, a fact's name starts with "the").
 */

function problems(source: string): Array<{ code: string; message: string; notes: string[] }> {
  const parsed = parseScript(source, "x.prose");
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  return [...parsed.diagnostics, ...program.diagnostics].map((diagnostic) => ({ code: diagnostic.code, message: diagnostic.message, notes: diagnostic.notes ?? [] }));
}

describe("a line that reads like it sets a fact without a name", () => {
  it("says how to write it, and suggests no procedure", () => {
    expect(problems("john's age is 21\n")).toEqual([
      { code: "name-without-the", message: 'This line reads like it sets a fact, but "john\'s age" is not a name: a fact\'s name starts with "the".', notes: ["fix: write it as `the john's age is 21`."] },
    ]);
    expect(problems("age is 21\n")[0].notes).toEqual(["fix: write it as `the age is 21`."]);
    expect(problems("total = 5\n")[0].notes).toEqual(["fix: write it as `the total is 5`."]);
    expect(problems('my vendors are "A", "B"\n')[0].notes).toEqual(['fix: write it as `the vendors are "A", "B"`.']);
  });

  it("still offers a procedure that shares the line's words", () => {
    const notes = problems("to mark an invoice as paid\n    say the invoice\nmark invoice is paid\n")[0].notes;
    expect(notes).toEqual(["fix: write it as `the mark invoice is paid`.", "did you mean: mark {invoice} as paid (x.prose:1:1)"]);
  });

  it("is not a line whose left side holds a name: that is a call, with its own message", () => {
    expect(problems("chek the vendor is active\n")[0].code).toBe("unknown-call");
  });
});

describe("did you mean", () => {
  it("suggests a procedure whose fixed words are close to the line's", () => {
    expect(problems('sumarize the report\n')[0].notes).toEqual(["did you mean: summarize {source} (standard library)"]);
    expect(problems("extrct data from the invoice\n")[0].notes[0]).toBe("did you mean: extract data from {source} (standard library)");
  });

  it("suggests nothing for a line that is only names: a possessive's owner is no verb", () => {
    expect(problems("john's age\n")).toEqual([{ code: "unknown-call", message: 'I don\'t know how to "john\'s age".', notes: ["fix: check the words of the line, or define the procedure with a `to …` line."] }]);
  });

  it("suggests nothing that shares under a third of the line's own words", () => {
    expect(problems("joint venture partner review board meeting\n")[0].notes).toEqual(["fix: check the words of the line, or define the procedure with a `to …` line."]);
  });
});
