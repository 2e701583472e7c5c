import { describe, expect, it } from "vitest";
import { parseScript } from "../../src/syntax/parse-script.js";

function firstMessage(source: string): string {
  const { diagnostics } = parseScript(`${source}\n`, "script.prose");
  expect(diagnostics.length).toBeGreaterThan(0);
  return diagnostics[0].message;
}

describe("a `whose` filter that doesn't read is told in its own words", () => {
  it("nothing after `whose`", () => {
    expect(firstMessage("say the claims whose")).toBe('After "whose" I expected an attribute of the items and a comparison (as in `the claims whose status is "open"`), but found the end of the line.');
  });

  it("an attribute without a comparison", () => {
    expect(firstMessage("say the claims whose status")).toBe('In a `whose` filter, the attribute needs a comparison after it (as in `whose status is "open"`), but found the end of the line.');
  });

  it("an attribute written with `the`", () => {
    expect(firstMessage('say the claims whose the status is "open"')).toBe('After "whose", name the items\' attribute without "the" (as in `the claims whose status is "open"`), but found "the".');
  });

  it("an unclosed group inside a filter still asks for `)`", () => {
    expect(firstMessage('say the claims whose status is "a" or (status is "b"')).toBe('I expected ")" to close the "(" but found the end of the line.');
  });

  it("`is in` and `matches the regular expression` read (they once were \"found in\" and \"didn't understand the\")", () => {
    expect(parseScript('if "a" is in the codes\n    stop\nif the code matches the regular expression "^a"\n    stop\n', "s.prose").diagnostics).toEqual([]);
  });
});
