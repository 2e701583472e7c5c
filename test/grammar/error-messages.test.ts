import { describe, expect, it } from "vitest";
import { parseScript } from "../../src/syntax/parse-script.js";

/**
 * Parse problems are told from chevrotain's errors as data (kind, expected token types, rule
 * stack, found token), not from its English text: a word in the line that happens to spell a
 * token type's name ("EOF", "RightParen") must not change what the writer is told.
 */
function firstMessage(source: string): string {
  const { diagnostics } = parseScript(`${source}\n`, "script.prose");
  expect(diagnostics.length).toBeGreaterThan(0);
  return diagnostics[0].message;
}

describe("parse problems in English", () => {
  it("says a value is expected when the word found is spelt like a token type", () => {
    expect(firstMessage('the order number is EOF "PO-7731"')).toBe('I expected a value: a text in quotes, a number, yes or no, or a name that starts with "the", but found "EOF".');
    expect(firstMessage("the total is RightParen")).toBe('I expected a value: a text in quotes, a number, yes or no, or a name that starts with "the", but found "RightParen".');
  });

  it("asks for `)` when a group is not closed", () => {
    expect(firstMessage("say (the a + 1")).toBe('I expected ")" to close the "(" but found the end of the line.');
  });

  it("says the line should have ended when more follows a whole statement", () => {
    expect(firstMessage("say 1 2")).toBe('I didn\'t understand "2" here: the line should have ended before it.');
  });

  it("asks for `to` in a set line and `as` in a use line", () => {
    expect(firstMessage("set the total 10")).toBe('I expected "to" after the name in this `set` line, but found "10".');
    expect(firstMessage("use the x to the y")).toBe('I expected "as" in this `use` line, but found "to".');
  });

  it("asks for the item's name after `each`", () => {
    expect(firstMessage("process each")).toBe("This loop needs the name of each item, as in `process each invoice in the invoices`.");
  });
});
