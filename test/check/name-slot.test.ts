import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import { expectedInputs } from "../../src/check/expected-inputs.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/** A procedure's name slot (`sort {list} by {attribute}`): the words there are a name, never a fact read. */

function checked(source: string) {
  const parsed = parseScript(source, "/s/x.prose");
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  return { program, messages: [...parsed.diagnostics, ...program.diagnostics].map((diagnostic) => diagnostic.message) };
}

describe("sort {list} by {attribute}", () => {
  it("reads `amount`, `the amount`, `due date` and a text there as the attribute's name", () => {
    const { program, messages } = checked('the claims are nothing\nsort the claims by amount\nsort the claims by the amount\nsort the claims by due date\nsort the claims by "Due_Date"\n');
    expect(messages).toEqual([]);
    const calls = [...program.calls.values()];
    expect(calls.map((call) => call.entry.patternText)).toEqual(Array(4).fill("sort {list} by {attribute}"));
    expect(calls.map((call) => call.arguments.get("attribute"))).toMatchObject([
      { kind: "text", parts: ["amount"] },
      { kind: "text", parts: ["amount"] },
      { kind: "text", parts: ["due date"] },
      { kind: "text", parts: ["Due_Date"] },
    ]);
  });

  it("does not make the attribute an input the script expects", () => {
    const { program } = checked("sort the claims by amount\nsay the claims\n");
    expect(expectedInputs(program).map((input) => input.name)).toEqual(["the claims"]);
  });

  it("still reads a name with a possessive as a value (the attribute's name held in a fact)", () => {
    const { program } = checked('the settings\'s column is "amount"\nthe claims are nothing\nsort the claims by the settings\'s column\n');
    expect([...program.calls.values()].at(-1)?.arguments.get("attribute")?.kind).toBe("reference");
  });
});
