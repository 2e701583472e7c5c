import { describe, expect, it } from "vitest";
import { parseScript } from "../../src/syntax/parse-script.js";

const parse = (source: string) => parseScript(source, "/scripts/main.prose");

describe("a quoted field name after 's (LANGUAGE.md §10.2)", () => {
  it("is one segment, lower-cased and single-spaced, never an ordinal", () => {
    const { script, diagnostics } = parse('say the document\'s "Tax  ID"\nsay the invoice\'s "first page"\n');
    expect(diagnostics).toEqual([]);
    const [first, second] = script.statements as any[];
    expect(first.value.reference.segments.map((segment: any) => segment.name)).toEqual(["document", "tax id"]);
    expect(first.value.reference.text).toBe('the document\'s "Tax  ID"');
    expect(second.value.reference.segments[1]).not.toHaveProperty("ordinal");
  });

  it("may be followed by another possessive, and assigned to", () => {
    const { script, diagnostics } = parse('the document\'s "tax id" is "DE1"\nsay the customer\'s "billing address"\'s city\n');
    expect(diagnostics).toEqual([]);
    expect((script.statements[0] as any).target.segments.map((segment: any) => segment.name)).toEqual(["document", "tax id"]);
    expect((script.statements[1] as any).value.reference.segments.map((segment: any) => segment.name)).toEqual(["customer", "billing address", "city"]);
  });
});

describe("a count of tokens (`the maximum length is 800 tokens`)", () => {
  it("reads as the number", () => {
    const { script, diagnostics } = parse("the maximum length is 1,200 tokens\nthe least is 1 token\n");
    expect(diagnostics).toEqual([]);
    expect((script.statements[0] as any).value).toMatchObject({ kind: "number", digits: "1200" });
    expect((script.statements[1] as any).value).toMatchObject({ kind: "number", digits: "1" });
  });

  it("takes no other word as a unit", () => {
    expect(parse("the maximum length is 800 words\n").diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      'I didn\'t understand "words" here: the line should have ended before it.',
    ]);
  });
});
