import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output } from "../support/run-script.js";

const facts = [
  'the file name is "Q3 Report.PDF"',
  'the extension is "pdf"',
  'the codes are "SAVE20", "SALE2024" and "JUST4U"',
  "the amounts are 1, 2.50 and $3",
  'the invoice number is "INV-2024-0042"',
  "the nothing fact is nothing",
];

/** Whether each condition holds, as `if` sees it. */
async function holds(...conditions: string[]): Promise<boolean[]> {
  const source = lines(...facts, ...conditions.flatMap((condition, index) => [`if ${condition}`, `    say "${index}"`]));
  const said = new Set(await output(source));
  return conditions.map((_, index) => said.has(String(index)));
}

describe("`X is in Y` and `X is not in Y`", () => {
  it("a part of a text, ignoring case as `contains` does", async () => {
    expect(await holds("the extension is in the file name", '"report" is in the file name', '"xls" is in the file name', '"xls" is not in the file name', '"Q3 Report.pdf" is in the file name')).toEqual([true, true, false, true, true]);
  });

  it("an item of a list, equal as `is` compares: texts ignore case and surrounding space, numbers by value", async () => {
    expect(await holds('"sale2024" is in the codes', '" just4u " is in the codes', '"SAVE" is in the codes', '"SAVE" is not in the codes', "2.5 is in the amounts", '"3" is in the amounts', "4 is not in the amounts", '"b" is in ("a", "b")')).toEqual([true, true, false, true, true, true, true, true]);
  });

  it("nothing holds nothing, and nothing is in no text", async () => {
    expect(await holds('"a" is in the nothing fact', '"a" is not in the nothing fact', "the nothing fact is in the file name")).toEqual([false, true, false]);
  });

  it("looking in a number is an English error with the fix", async () => {
    expect(await failure(lines("the total is 150", "if 5 is in the total", '    say "x"'))).toEqual({
      message: '`is in` looks in a list or a text, but this is a number ("150").',
      at: "/scripts/main.prose:2:12",
      fix: "fix: look in a list (`is in the codes`) or a text (`is in the file name`); compare numbers with `is`.",
    });
  });
});

describe("`is terminated by`", () => {
  it("is `ends with`, ignoring case", async () => {
    expect(await holds('the file name is terminated by ".pdf"', 'the file name is not terminated by ".doc"', 'the file name is terminated by "report"')).toEqual([true, true, false]);
  });
});

describe("`matches the pattern` and `matches the regular expression`", () => {
  it("JavaScript syntax, case-sensitive, anywhere in the text unless anchored", async () => {
    expect(await holds('the invoice number matches the pattern "^INV-\\d{4}-\\d+$"', 'the invoice number matches the regular expression "2024"', 'the invoice number matches the pattern "^2024"', 'the invoice number matches the pattern "inv"', 'the invoice number does not match the pattern "inv"')).toEqual([true, true, false, false, true]);
  });

  it("reads JavaScript's `.` and `\\s` as JavaScript does", async () => {
    expect(await holds('"a\u2028b" matches the pattern "a.b"', '"a\\nb" matches the pattern "a.b"', '"a\u00a0b" matches the pattern "a\\sb"', '"A" matches the pattern "\\u0041"')).toEqual([false, false, true, true]);
  });

  it("a pattern held in a fact (a text, so `{{` and `\\\\` stand for a brace and a backslash), or `the pattern` itself", async () => {
    expect(await output(lines('the pattern is "^[A-Z]{{2}}\\\\d"', 'say the pattern', 'the code is "FR7"', "if the code matches the pattern", '    say "country first"'))).toEqual(["^[A-Z]{2}\\d", "country first"]);
  });

  it("a pattern that would run away in a backtracking engine answers at once", async () => {
    const source = lines('the line is "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"', 'if the line matches the pattern "(a+)+$"', '    say "matched"', "otherwise", '    say "no match"', 'say "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" matches the pattern "^(a|aa)+$"');
    expect(await output(source)).toEqual(["no match", "yes"]);
  });

  it("a pattern held in a fact that Prose cannot run is an English error at the pattern", async () => {
    expect(await failure(lines('the pattern is "(\\\\w+) \\\\1"', 'if "a a" matches the pattern', '    say "x"'))).toEqual({
      message: 'The pattern "(\\w+) \\1" uses a backreference `\\1`, which Prose does not run: patterns run on a linear-time engine so that no pattern can hang a script.',
      at: "/scripts/main.prose:2:18",
      fix: "fix: write the pattern without it (for a repeated word, compare the parts in separate conditions), or test the text with `contains` / `starts with`.",
    });
    expect((await failure(lines('the pattern is "(a"', 'if "a" matches the pattern', '    say "x"'))).message).toBe('"(a" is not a valid regular expression: unterminated group.');
  });
});
