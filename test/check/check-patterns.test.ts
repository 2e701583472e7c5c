import { describe, expect, it } from "vitest";
import { checkSource, lines } from "../support/run-script.js";

/** Each diagnostic as `code line:column message`. */
function problems(source: string): string[] {
  return checkSource(source).diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.span.start.line}:${diagnostic.span.start.column} ${diagnostic.message}`);
}

describe("patterns written in quotes are checked before the run", () => {
  it("a pattern that is not a regular expression is reported at the pattern, with JavaScript's reason", () => {
    expect(problems(lines('the code is "x"', 'if the code matches the pattern "(a"', '    say "x"'))).toEqual(['bad-pattern 2:33 "(a" is not a valid regular expression: unterminated group.']);
  });

  it("backreferences, lookahead and lookbehind are refused: they need a backtracking engine", () => {
    const found = problems(lines('say "a a" matches the pattern "(\\w+) \\1"', 'say "ab" does not match the regular expression "a(?=b)"', 'say "ab" matches the pattern "(?<!a)b"', 'say "ab" matches the pattern "(?<w>a)\\k<w>"'));
    expect(found.map((problem) => problem.split(" ")[0])).toEqual(["bad-pattern", "bad-pattern", "bad-pattern", "bad-pattern"]);
    expect(found[0]).toContain("uses a backreference `\\1`");
    expect(found[1]).toContain("uses a lookahead `(?=…`");
    expect(found[2]).toContain("uses a lookbehind `(?<!…`");
    expect(found[3]).toContain("uses a named backreference `\\k<…>`");
  });

  it("patterns inside procedures, loops and a call's arguments are checked too; valid ones pass", () => {
    const source = lines("to tag a code", '    if the code matches the pattern "[a-"', '        say "x"', 'the codes are "a", "b"', "for each code in the codes", '    say the code matches the pattern "^[a-z]\\d{2,}$|\\u0041"', 'tag ("b" matches the pattern "b)")');
    expect(problems(source)).toEqual([
      'bad-pattern 2:37 "[a-" is not a valid regular expression: unterminated character class.',
      'bad-pattern 7:30 "b)" is not a valid regular expression: unmatched \')\'.',
    ]);
  });

  it("a text held in a fact that a pattern test reads, whose escapes or braces would change the pattern, is reported with the way to write it", () => {
    const source = lines('the code pattern is "^INV-\\d+$"', 'the year pattern is "^[0-9]{4}$"', 'the fine pattern is "^[A-Z]{{2}}\\\\d"', 'the other text is "\\d{4}"', 'say "INV-12" matches the code pattern', 'say "2024" matches the year pattern', 'say "AB1" matches the fine pattern');
    const found = checkSource(source).diagnostics;
    expect(found.map((diagnostic) => [diagnostic.code, diagnostic.span.start.line, diagnostic.message])).toEqual([
      ["bad-pattern", 1, "This text is used as a pattern (`matches the code pattern`), but in a text `\\d` is just `d`, so the pattern would not be the one written."],
      ["bad-pattern", 2, "This text is used as a pattern (`matches the year pattern`), but in a text `{4}` puts the number in the text, so the pattern would not be the one written."],
    ]);
    expect(found[0].notes).toEqual(["fix: write `\\\\d` in the text, or write the pattern in quotes right after `matches the pattern`, where it is read as written."]);
  });

  it("a pattern held in a fact is left to the run", () => {
    expect(problems(lines('the pattern is "(a"', 'say "a" matches the pattern'))).toEqual([]);
  });
});
