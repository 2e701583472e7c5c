import { describe, expect, it } from "vitest";
import { tokenize } from "../../grammar/lexer.js";
import { parseArgument } from "../../src/syntax/parse-argument.js";

/** Tokens of one line, without the line's end. */
function words(source: string) {
  return tokenize(`${source}\n`).tokens.filter((token) => token.tokenType.name !== "Newline");
}

describe("a call's argument, read by syntax for check", () => {
  it("reads a run of tokens as one expression", () => {
    expect(parseArgument(words("the total + 1"), "x.prose")).toMatchObject({ expression: { kind: "arithmetic", operator: "+" }, diagnostics: [] });
  });

  it("reads a list", () => {
    expect(parseArgument(words('"a", "b" and "c"'), "x.prose")?.expression).toMatchObject({ kind: "list", items: [{ kind: "text" }, { kind: "text" }, { kind: "text" }] });
  });

  it("is undefined for tokens that are no expression, and for none", () => {
    expect(parseArgument(words("the total +"), "x.prose")).toBeUndefined();
    expect(parseArgument([], "x.prose")).toBeUndefined();
  });

  it("reports problems inside the argument with the file's name", () => {
    const parsed = parseArgument(words('"Dear {the name"'), "letters.prose");
    expect(parsed?.diagnostics.map((diagnostic) => diagnostic.span.file)).toEqual(["letters.prose"]);
  });
});
