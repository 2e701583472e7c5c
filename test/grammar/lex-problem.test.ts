import { describe, expect, it } from "vitest";
import { tokenize } from "../../grammar/lexer.js";
import { lexDiagnostic } from "../../src/syntax/lex-diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";

describe("the lexer's own problems", () => {
  it("give the place, the message and the fix, with no file: grammar knows nothing of diagnostics", () => {
    expect(tokenize('say "open\n').problems).toEqual([{ kind: "unclosed-text", line: 1, column: 5, offset: 4, length: 5, message: "This text has no closing quote.", fix: 'fix: end the text with a " on the same line.' }]);
    expect(tokenize("if yes\n    say 1\n  say 2\n").problems).toMatchObject([{ line: 3, column: 1, offset: 17, length: 2, message: "This line is indented by 2 spaces, which matches no block above it." }]);
  });

  it("become diagnostics of the file in syntax", () => {
    const [problem] = tokenize('say "open\n').problems;
    const diagnostic = lexDiagnostic(problem, "a.prose");
    expect(diagnostic).toEqual({ code: "unclosed-text", severity: "error", message: problem.message, notes: [problem.fix], span: { file: "a.prose", start: { line: 1, column: 5, offset: 4 }, end: { line: 1, column: 10, offset: 9 } } });
    expect(parseScript('say "open\n', "a.prose").diagnostics).toContainEqual(diagnostic);
  });
});
