import { describe, expect, it } from "vitest";
import { tokenize } from "../../grammar/lexer.js";
import { formatDiagnostic } from "../../src/syntax/format-diagnostic.js";
import { lexDiagnostic } from "../../src/syntax/lex-diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { output } from "../support/run-script.js";

/** The token stream as short names: words by their image, indentation tokens in capitals. */
function shape(source: string): string {
  const { tokens } = tokenize(source);
  return tokens
    .map((token) => {
      switch (token.tokenType.name) {
        case "Newline": return "⏎";
        case "Indent": return "INDENT";
        case "Dedent": return "DEDENT";
        default: return token.image;
      }
    })
    .join(" ");
}

function problems(source: string, file = "test.prose"): string[] {
  const { problems } = tokenize(source);
  return problems.map((problem) => formatDiagnostic(lexDiagnostic(problem, file), source));
}

describe("indentation", () => {
  it("opens and closes a block", () => {
    expect(shape('if yes\n    say "a"\nsay "b"\n')).toBe('if yes ⏎ INDENT say "a" ⏎ DEDENT say "b" ⏎');
  });

  it("ignores blank lines and comment-only lines inside a block, whatever their indentation", () => {
    const source = 'if yes\n    say "a"\n\n      \n# at the margin\n        # deeper\n    say "b"\nsay "c"\n';
    expect(shape(source)).toBe('if yes ⏎ INDENT say "a" ⏎ say "b" ⏎ DEDENT say "c" ⏎');
    expect(problems(source)).toEqual([]);
  });

  it("drops a comment at the end of a line", () => {
    expect(shape('say "a # not a comment" # a comment\n')).toBe('say "a # not a comment" ⏎');
  });

  it("counts a tab as four spaces", () => {
    const source = 'if yes\n\tsay "a"\n    say "b"\n';
    expect(shape(source)).toBe('if yes ⏎ INDENT say "a" ⏎ say "b" ⏎ DEDENT');
    expect(problems(source)).toEqual([]);
  });

  it("counts a tab after spaces as four more", () => {
    expect(shape('if yes\n  \tsay "a"\n      say "b"\n')).toBe('if yes ⏎ INDENT say "a" ⏎ say "b" ⏎ DEDENT');
  });

  it("reports a dedent to a level no open block has, with file:line:col and a fix", () => {
    const source = 'if yes\n        say "a"\n    say "b"\n';
    expect(problems(source, "invoice.prose")).toMatchInlineSnapshot(`
      [
        "invoice.prose:3:1: error: This line is indented by 4 spaces, which matches no block above it.
            say "b"
        ^^^^
        fix: indent it by 0 or 8 spaces, like the lines of the block it belongs to.",
      ]
    `);
  });

  it("keeps reading after a bad dedent: the line joins the enclosing block", async () => {
    const source = 'if yes\n        say "a"\n    say "b"\nsay "c"\n';
    const { script, diagnostics } = parseScript(source, "x.prose");
    expect(diagnostics).toHaveLength(1);
    expect(script.statements.map((statement) => statement.kind)).toEqual(["if", "say", "say"]);
  });

  it("reports a bad dedent inside nested blocks with every open level", () => {
    const source = "if yes\n    if yes\n        if yes\n            say 1\n      say 2\n";
    const [problem] = problems(source);
    expect(problem).toContain("test.prose:5:1: error: This line is indented by 6 spaces");
    expect(problem).toContain("fix: indent it by 0 or 4 or 8 or 12 spaces");
  });

  it("accepts a file without a final newline", () => {
    expect(shape('if yes\n    say "a"')).toBe('if yes ⏎ INDENT say "a" ⏎ DEDENT');
    expect(shape("say 1")).toBe("say 1 ⏎");
  });

  it("reads CRLF and lone CR line ends", () => {
    expect(shape('if yes\r\n    say "a"\r\nsay "b"\r\n')).toBe('if yes ⏎ INDENT say "a" ⏎ DEDENT say "b" ⏎');
    expect(shape('say "a"\rsay "b"\r')).toBe('say "a" ⏎ say "b" ⏎');
  });

  it("counts lines and columns after CRLF correctly", () => {
    const source = 'say "a"\r\nsay "b\r\n';
    expect(problems(source)[0]).toMatch(/^test\.prose:2:5: error: This text has no closing quote\./);
  });

  it("closes every open block at the end of the file", () => {
    const source = 'if yes\n  if yes\n    if yes\n      if yes\n        say "deep"';
    expect(shape(source)).toBe('if yes ⏎ INDENT if yes ⏎ INDENT if yes ⏎ INDENT if yes ⏎ INDENT say "deep" ⏎ DEDENT DEDENT DEDENT DEDENT');
    expect(problems(source)).toEqual([]);
  });

  it("closes several blocks at once on a dedent to the margin", () => {
    expect(shape("if yes\n    if yes\n        say 1\nsay 2\n")).toBe("if yes ⏎ INDENT if yes ⏎ INDENT say 1 ⏎ DEDENT DEDENT say 2 ⏎");
  });

  it("skips a byte order mark at the start", () => {
    expect(shape('\ufeffsay "a"\n')).toBe('say "a" ⏎');
    expect(shape('\ufeffif yes\n    say "a"\n')).toBe('if yes ⏎ INDENT say "a" ⏎ DEDENT');
    expect(problems('\ufeffsay "a"\n')).toEqual([]);
    // The mark takes no width: a line under it indented by one space is indented.
    expect(shape("\ufeffsay 1\n say 2\n")).toBe("say 1 ⏎ INDENT say 2 ⏎ DEDENT");
  });

  it("gives no tokens for empty, blank and comment-only files", () => {
    expect(shape("")).toBe("");
    expect(shape("\n\n   \n")).toBe("");
    expect(shape("# only a comment\n   # and another")).toBe("");
  });

  it("keeps separate indentation stacks for separate files", () => {
    tokenize("if yes\n        say 1\n");
    expect(problems("say 1\n    \nsay 2\n")).toEqual([]);
  });

  it("runs scripts that use each of these forms", async () => {
    expect(await output('\ufeffif yes\r\n\tsay "a"\r\n\r\n    # note\r\n    say "b"\r\nsay "c"')).toEqual(["a", "b", "c"]);
  });
});

describe("tokens", () => {
  it("reads numbers with thousands separators, currency signs and percent", () => {
    expect(shape("the x is 1,200.50, $120.20, €5, £3 and 15%")).toBe("the x is 1,200.50 , $120.20 , €5 , £3 and 15% ⏎");
  });

  it("separates list items at a comma and a space", () => {
    expect(shape("the x are 1, 2 and 1,000")).toBe("the x are 1 , 2 and 1,000 ⏎");
  });

  it("reads possessives with straight and curly apostrophes", () => {
    expect(shape("say the invoice's total")).toBe("say the invoice 's total ⏎");
    expect(shape("say the invoice’s total")).toBe("say the invoice ’s total ⏎");
    expect(shape("say the invoices' totals")).toBe("say the invoices ' totals ⏎");
  });

  it("reads curly quotes as text", () => {
    const { tokens, problems } = tokenize("say “Hello”\n");
    expect(problems).toEqual([]);
    expect(tokens[1].tokenType.name).toBe("Text");
  });

  it("keeps keywords inside longer words", () => {
    const { tokens } = tokenize("the island is 1\n");
    expect(tokens.map((token) => token.tokenType.name).slice(0, 3)).toEqual(["The", "Identifier", "Is"]);
  });

  it("reads keywords whatever their case", () => {
    const { tokens } = tokenize("IF The X IS 1\n");
    expect(tokens.map((token) => token.tokenType.name).slice(0, 4)).toEqual(["If", "The", "Identifier", "Is"]);
  });

  it("reports characters it cannot read, by code point when they are not printable", () => {
    const [problem] = problems("say 1 \u0001\n");
    expect(problem.split("\n")[0]).toBe("test.prose:1:7: error: I can't read the character U+0001 here.");
    expect(problem).toContain("fix: remove it, or put it inside quotes if it belongs to a text.");
  });
});

describe("proper names", () => {
  const kinds = (source: string) => tokenize(source).tokens.filter((token) => token.tokenType.name !== "Newline").map((token) => `${token.tokenType.name}:${token.image}`);

  it("are a capitalised word right before 's", () => {
    expect(kinds("John's age")).toEqual(["ProperName:John", "Possessive:'s", "Identifier:age"]);
    expect(kinds("Élise’s city")).toEqual(["ProperName:Élise", "Possessive:’s", "Identifier:city"]);
  });

  it("are not a capitalised word without 's, a lower-case one, or an apostrophe of another kind", () => {
    expect(kinds("John said")).toEqual(["Identifier:John", "Identifier:said"]);
    expect(kinds("john's age")).toEqual(["Identifier:john", "Possessive:'s", "Identifier:age"]);
    expect(kinds("Don't")).toEqual(["Identifier:Don", "Possessive:'", "Identifier:t"]);
    expect(kinds("Johns's")[0]).toBe("ProperName:Johns");
    expect(kinds("John'sage")[0]).toBe("Identifier:John");
  });
});
