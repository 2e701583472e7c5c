import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import { ListEvidence } from "../../src/check/list-readings.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/** Which names check reads as list positions (LANGUAGE.md §10.1), as `prose check --explain` shows them. */
function readings(source: string, listEvidence?: ListEvidence): Record<string, string> {
  const parsed = parseScript(source, "x.prose");
  expect(parsed.diagnostics).toEqual([]);
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined, ...(listEvidence ? { listEvidence } : {}) });
  return Object.fromEntries((program.listReadings ?? []).map((reading) => [reading.text, reading.list ? `item of ${reading.listText}` : "plain fact"]));
}

describe("an ordinal word", () => {
  it("names a plain fact when the script never speaks of the list", () => {
    expect(readings('the first name is "Jennifer"\nthe last name is "Okafor"\nsay "{the first name} {the last name}"\n')).toEqual({
      "the first name": "plain fact",
      "the last name": "plain fact",
    });
  });

  it("picks an item when the script speaks of the plural, of its number, or loops over it", () => {
    expect(readings('the names are "a", "b"\nsay the first name\n')).toEqual({ "the first name": "item of the names" });
    expect(readings("say the number of names\nsay the last name\n")).toEqual({ "the last name": "item of the names" });
    expect(readings("process each name\n    say 1\nsay the first name\n")).toEqual({ "the first name": "item of the names" });
    expect(readings('split "a b" into parts as the words\nsay the first word\n')).toEqual({ "the first word": "item of the words" });
  });

  it("picks an item when the script speaks of another position than first and last", () => {
    expect(readings('the first name is "a"\nthe second name is "b"\n')).toEqual({ "the first name": "item of the names", "the second name": "item of the names" });
    expect(readings('the 3rd name is "c"\n')).toEqual({ "the 3rd name": "plain fact" });
  });

  it("after a possessive, looks at the same owner's list", () => {
    expect(readings('the customer\'s first name is "Ann"\nsay the customer\'s last name\n')).toEqual({
      "the customer's first name": "plain fact",
      "the customer's last name": "plain fact",
    });
    expect(readings("say the number of the customer's names\nsay the customer's last name\n")).toEqual({ "the customer's last name": "item of the customer's names" });
  });

  it("builds a list in a call's block when the procedure takes it", () => {
    const source = 'extract data from "some text" as the details\n    the first field is "name"\n    the second field is "age"\n';
    expect(readings(source)).toEqual({ "the first field": "item of the fields", "the second field": "item of the fields" });
    expect(readings('extract data from "some text" as the details\n    the first field is "name"\n')).toEqual({ "the first field": "item of the fields" });
  });

  it("counts what earlier inputs said (the REPL)", () => {
    const earlier = new ListEvidence();
    readings('the names are "a", "b"\n', earlier);
    expect(readings("say the first name\n", earlier)).toEqual({ "the first name": "item of the names" });
  });
});
