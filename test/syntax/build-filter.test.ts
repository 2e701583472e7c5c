import { describe, expect, it } from "vitest";
import { buildOne } from "../support/ast-shape.js";
import { parseScript } from "../../src/syntax/parse-script.js";

/** The expression built for the value of `say …`, in prefix form. */
function value(text: string): string {
  return (buildOne(`say ${text}`) as { say: string }).say;
}

/** The condition of `if …`, in prefix form. */
function condition(text: string): string {
  const shape = buildOne(`if ${text}\n    stop`) as { if: Array<{ when: string }> };
  return shape.if[0].when;
}

function codes(source: string): string[] {
  return parseScript(source, "script.prose").diagnostics.map((diagnostic) => diagnostic.code);
}

describe("conditions of v1", () => {
  it("`is in` and `is not in`, also where `in` ends a loop's item", () => {
    expect(condition("the extension is in the file name")).toBe("(in the extension the file name)");
    expect(condition('"x" is not in the codes')).toBe('(not in "x" the codes)');
    const loop = buildOne("for each code in the codes whose code is in the allowed codes\n    say the code") as { each: string; in: string };
    expect(loop.in).toBe("(the codes whose (in item's code the allowed codes))");
  });

  it("`is terminated by` is `ends with`", () => {
    expect(condition('the file name is terminated by ".pdf"')).toBe('(ends with the file name ".pdf")');
  });

  it("`matches the pattern` / `the regular expression` / `does not match`, the pattern in quotes read as written", () => {
    expect(condition('the code matches the pattern "^INV-\\d{4}$"')).toBe('(matches the code "^INV-\\\\d{4}$")');
    expect(condition('the code matches the regular expression "a+"')).toBe('(matches the code "a+")');
    expect(condition('the code does not match the pattern "x"')).toBe('(not matches the code "x")');
    // Without a value after it, `the pattern` is the fact of that name.
    expect(condition("the code matches the pattern")).toBe("(matches the code the pattern)");
    expect(condition("the code matches the code format")).toBe("(matches the code the code format)");
  });

  it("`matches` stays a word of a name when no value follows it", () => {
    expect(value("the number of matches")).toBe("(number of matches)");
    expect(value("the matches")).toBe("the matches");
  });
});

describe("list filters with `whose`", () => {
  it("filter a list wherever a value goes; the condition reads the item's attributes", () => {
    expect(value('the claims whose status is "open"')).toBe('(the claims whose (equal item\'s status "open"))');
    expect(value("the invoices whose total is greater than $1,000")).toBe("(the invoices whose (greater item's total $1000))");
    expect(value("the claims whose customer's country is the home country")).toBe("(the claims whose (equal item's customer's country the home country))");
  });

  it("inside aggregates, and `the totals of the claims` reads as `the claims' totals`", () => {
    expect(value('the number of claims whose status is "open"')).toBe('(number of (claims whose (equal item\'s status "open")))');
    expect(value('the sum of the totals of the claims whose category is "travel"')).toBe('(sum of (the totals of (the claims whose (equal item\'s category "travel"))))');
    expect(value("the sum of the totals of the claims")).toBe("(sum of the totals of the claims)");
    const folded = parseScript("say the names of the owners of the claims\n", "s.prose").script.statements[0] as { value: { reference: { segments: Array<{ name: string }> } } };
    expect(folded.value.reference.segments.map((segment) => segment.name)).toEqual(["claims", "owners", "names"]);
  });

  it("the filter's condition ends at the first `is …` after its comparison, so the rest belongs to the line", () => {
    expect(condition('the number of claims whose status is "open" is greater than 2')).toBe('(greater (number of (claims whose (equal item\'s status "open"))) 2)');
  });

  it("`and` / `or` continue the filter only before an attribute name; before `the` or a value they belong to the line", () => {
    expect(value('the claims whose status is "open" and total is less than 5')).toBe('(the claims whose (and (equal item\'s status "open") (less item\'s total 5)))');
    expect(condition('the claims whose status is "open" is not empty and the total is 3')).toBe('(and (not empty (the claims whose (equal item\'s status "open"))) (equal the total 3))');
    const list = buildOne('the picked are the claims whose status is "open" and the claims whose status is "new"') as { value: string };
    expect(list.value).toBe('[(the claims whose (equal item\'s status "open")), (the claims whose (equal item\'s status "new"))]');
  });

  it("parentheses group a filter's conditions; `and` and `or` mixed without them are an error with the fix", () => {
    expect(value('the claims whose (status is "open" or status is "new") and total is greater than 5')).toBe(
      '(the claims whose (and (or (equal item\'s status "open") (equal item\'s status "new")) (greater item\'s total 5)))',
    );
    expect(codes('say the claims whose status is "open" or status is "new" and total is greater than 5\n')).toEqual(["ambiguous-filter"]);
    expect(codes('say the claims whose status is "open" or status is "new"\n')).toEqual([]);
  });

  it("a value after a filter's `or` / `and` (`whose status is \"open\" or \"new\"`) is an error naming both ways to say it", () => {
    const { diagnostics } = parseScript('say the claims whose status is "open" or "new"\n', "s.prose");
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.span.start.column, diagnostic.message])).toEqual([
      ["ambiguous-filter", 42, 'After `whose status …`, `or "new"` would be a condition of its own, not another status.'],
    ]);
    expect(diagnostics[0].notes).toEqual(['fix: name the attribute again (`whose status is … or status is …`), or list the values (`whose status is in ("…", "…")`).']);
    expect(codes('say the claims whose status is "open" or status is "new"\n')).toEqual([]);
    expect(codes('if the claims whose status is "open" is empty or the total is 3\n    stop\n')).toEqual([]);
  });

  it("a filter inside another filter's condition, with `and` / `or` after it, is an error: either filter could take them", () => {
    expect(codes('say the claims whose total is greater than the sum of the totals of the claims whose category is "x" and status is "open"\n')).toEqual(["ambiguous-filter"]);
    expect(codes('say the claims whose total is greater than the number of claims whose category is "x" or status is "open"\n')).toEqual(["ambiguous-filter"]);
    expect(value('the claims whose total is greater than (the sum of the totals of the claims whose category is "x") and status is "open"')).toBe(
      '(the claims whose (and (greater item\'s total (sum of (the totals of (the claims whose (equal item\'s category "x"))))) (equal item\'s status "open")))',
    );
    expect(codes('say the claims whose total is greater than the sum of the totals of the claims whose (category is "x" and status is "open")\n')).toEqual([]);
    expect(codes('say the teams whose lead is in the names of the people whose role is "manager"\n')).toEqual([]);
  });

  it("a deep chain of filters is a nesting diagnostic naming the limit, not a crash", () => {
    const deep = `say the a${" whose b is the c".repeat(150)}\n`;
    const { diagnostics } = parseScript(deep, "s.prose");
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["nesting-too-deep"]);
    expect(diagnostics[0].message).toContain("each `whose`");
  });
});
