import { describe, expect, it } from "vitest";
import { tokenize } from "../../grammar/lexer.js";

/** Tokens of one line as `Type:image`, without indentation tokens. */
function tokens(source: string): string[] {
  return tokenize(source).tokens.filter((token) => !["Newline", "Indent", "Dedent"].includes(token.tokenType.name)).map((token) => `${token.tokenType.name}:${token.image}`);
}

describe("single-quoted text", () => {
  it("is a text where a value may start, holding double quotes as they are", () => {
    expect(tokens(`the payload is '{"name": "John", "age": 30}'`)).toEqual(["The:the", "Identifier:payload", "Is:is", `Text:'{"name": "John", "age": 30}'`]);
    expect(tokens("say 'hello'")).toEqual(["Say:say", "Text:'hello'"]);
    expect(tokens("say ('a', 'b')")).toEqual(["Say:say", "LeftParen:(", "Text:'a'", "Comma:,", "Text:'b'", "RightParen:)"]);
    expect(tokens("say ‘curly’")).toEqual(["Say:say", "Text:‘curly’"]);
    expect(tokens("say 'O\\'Brien'")).toEqual(["Say:say", "Text:'O\\'Brien'"]);
  });

  it("never takes the apostrophe of a possessive", () => {
    expect(tokens("say the invoice's total")).toEqual(["Say:say", "The:the", "Identifier:invoice", "Possessive:'s", "Identifier:total"]);
    expect(tokens("say the invoices' totals")).toEqual(["Say:say", "The:the", "Identifier:invoices", "Possessive:'", "Identifier:totals"]);
    expect(tokens("John's age is 21")).toEqual(["ProperName:John", "Possessive:'s", "Identifier:age", "Is:is", "NumberLiteral:21"]);
    expect(tokens("say the invoice's total + the invoices' totals's sum")).toContain("Possessive:'");
    expect(tokens("John's age is 21")).toEqual(["ProperName:John", "Possessive:'s", "Identifier:age", "Is:is", "NumberLiteral:21"]);
    expect(tokens("say the invoices' totals + 'x'")).toEqual(["Say:say", "The:the", "Identifier:invoices", "Possessive:'", "Identifier:totals", "PlusSign:+", "Text:'x'"]);
    expect(tokens("add the invoices' totals to the clients' list")).toEqual(["Identifier:add", "The:the", "Identifier:invoices", "Possessive:'", "Identifier:totals", "To:to", "The:the", "Identifier:clients", "Possessive:'", "Identifier:list"]);
    expect(tokens("say the vendor’s name")).toEqual(["Say:say", "The:the", "Identifier:vendor", "Possessive:’s", "Identifier:name"]);
  });

  it("reports a single-quoted text without its closing quote", () => {
    const { problems } = tokenize("say 'hello\n");
    expect(problems.map((problem) => [problem.kind, problem.column, problem.fix])).toEqual([["unclosed-text", 5, "fix: end the text with a ' on the same line."]]);
  });
});
