import { describe, expect, it } from "vitest";
import { diagnosticCodes, type DiagnosticCode } from "../../src/syntax/diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { readFileSync } from "node:fs";

/** The codes of a script's syntax diagnostics, in source order. */
function codes(...lines: string[]): DiagnosticCode[] {
  return parseScript(`${lines.join("\n")}\n`, "script.prose").diagnostics.map((diagnostic) => diagnostic.code);
}

describe("syntax diagnostics carry a stable code", () => {
  it("reading the text: unreadable characters, a text without its closing quote, indentation that matches no block", () => {
    expect(codes("say 1 @ 2")[0]).toBe("unreadable-character");
    expect(codes('say "hello')).toEqual(["unclosed-text"]);
    expect(codes("if the a is 1", "    say 1", "  say 2")).toEqual(["bad-indentation"]);
  });

  it("a line the grammar cannot read", () => {
    expect(codes("set the total 10")).toEqual(["unreadable-line"]);
    expect(codes("the total is")).toEqual(["unreadable-line"]);
  });

  it("nesting beyond Prose's limits, of expressions and of blocks", () => {
    expect(codes(`say ${"(".repeat(101)}1${")".repeat(101)}`)).toEqual(["nesting-too-deep"]);
    const blocks = Array.from({ length: 102 }, (_, depth) => `${"  ".repeat(depth)}if the a is 1`);
    expect(codes(...blocks)).toContain("nesting-too-deep");
  });

  it("blocks: missing, where none is taken, holding the wrong lines", () => {
    expect(codes("if the a is 1")).toEqual(["block-expected"]);
    expect(codes("repeat 3 times")).toEqual(["block-expected"]);
    expect(codes("validate the following")).toEqual(["block-expected"]);
    expect(codes("say 1", "  say 2")).toEqual(["unexpected-block"]);
    expect(codes("validate the following", "  say 1")).toEqual(["wrong-line-in-block"]);
    expect(codes('ask "which?"', "  say 1")).toEqual(["wrong-line-in-block"]);
    expect(codes("greet the world", "  say 1")).toEqual(["wrong-line-in-block"]);
  });

  it("`otherwise` out of place", () => {
    expect(codes("otherwise", "  say 1")).toEqual(["misplaced-otherwise"]);
    expect(codes("if the a is 1", "  say 1", "otherwise", "  say 2", "otherwise", "  say 3")).toEqual(["misplaced-otherwise"]);
  });

  it("procedure definitions: inside a block, or with a name that is not words", () => {
    expect(codes("if the a is 1", "  to greet a person", '    say "hi"')).toEqual(["definition-not-top-level"]);
    expect(codes('to greet "you"', '  say "hi"')).toEqual(["bad-procedure-name"]);
  });

  it("values inside a text's braces", () => {
    expect(codes('say "a {the b"')).toEqual(["bad-text-value"]);
    expect(codes('say "a } b"')).toEqual(["bad-text-value"]);
    expect(codes('say "a {the b is}"')).toEqual(["bad-text-value"]);
  });
});

describe("docs/diagnostics.md", () => {
  it("documents every code, and no other", () => {
    const documented = [...readFileSync(new URL("../../docs/diagnostics.md", import.meta.url), "utf8").matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...diagnosticCodes].sort());
  });
});
