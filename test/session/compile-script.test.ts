import { describe, expect, it } from "vitest";
import { compileScript, compileSource, inReadingOrder } from "../../src/session/compile-script.js";
import { sourceLoaderOf, type ScriptRead } from "../../src/session/script-source.js";

const files = (texts: Record<string, string>) => (path: string): ScriptRead => (path in texts ? { kind: "text", text: texts[path] } : { kind: "missing" });

describe("compiling a script (the session service)", () => {
  it("merges the parser's and the checker's problems in one order: the script's first, by place, then each learned file's", () => {
    const read = files({
      "/work/lib/b.prose": "to greet a person\n    say the person\naprove the invoice\n",
      "/work/lib/a.prose": 'say "unclosed\n',
    });
    const program = compileSource('learn "lib/b.prose"\nlearn "lib/a.prose"\nsay "one\nfrobnicate the thing\n', "/work/main.prose", { loadSource: sourceLoaderOf(read) });
    const places = program.diagnostics.map((diagnostic) => `${diagnostic.span.file}:${diagnostic.span.start.line}`);
    expect(places).toEqual(["/work/main.prose:3", "/work/main.prose:4", "/work/lib/a.prose:1", "/work/lib/b.prose:3"]);
    // The parser found the unclosed text, the checker the unknown sentence: one list, one order.
    expect(program.diagnostics[0].message).toMatch(/text/i);
    expect(program.diagnostics[1].message).toContain("frobnicate the thing");
  });

  it("keeps the order problems were found in when they start at the same place", () => {
    const span = (file: string, offset: number) => ({ file, start: { line: 1, column: offset + 1, offset }, end: { line: 1, column: offset + 1, offset } });
    const found = [
      { code: "unknown-call" as const, severity: "error" as const, message: "second file", span: span("/b.prose", 0), notes: [] },
      { code: "unreadable-line" as const, severity: "error" as const, message: "first, parser", span: span("/main.prose", 4), notes: [] },
      { code: "unknown-call" as const, severity: "warning" as const, message: "first, checker", span: span("/main.prose", 4), notes: [] },
      { code: "unreadable-line" as const, severity: "error" as const, message: "start", span: span("/main.prose", 0), notes: [] },
    ];
    expect(inReadingOrder(found, "/main.prose").map((diagnostic) => diagnostic.message)).toEqual(["start", "first, parser", "first, checker", "second file"]);
  });

  it("tells why a script could not be read instead of compiling it, for the caller to word", () => {
    const refused: ScriptRead = { kind: "refused", reason: "it is outside the files root /work", fix: "fix: keep it under /work" };
    expect(compileScript("/elsewhere/x.prose", () => refused, { loadSource: () => undefined })).toEqual({ unread: refused });
    expect(compileScript("/work/none.prose", files({}), { loadSource: () => undefined })).toEqual({ unread: { kind: "missing" } });
    const compiled = compileScript("/work/ok.prose", files({ "/work/ok.prose": 'say "hi"\n' }), { loadSource: () => undefined });
    expect("program" in compiled && compiled.program.diagnostics).toEqual([]);
  });

  it("learns files through the caller's reader only: a refusal is the learn line's error", () => {
    const read = (path: string): ScriptRead => (path === "/work/main.prose" ? { kind: "text", text: 'learn "../secret.prose"\n' } : { kind: "refused", reason: "it is outside the files root /work", fix: "fix: keep it under /work" });
    const compiled = compileScript("/work/main.prose", read, { loadSource: sourceLoaderOf(read) });
    expect("program" in compiled && compiled.program.diagnostics.map((diagnostic) => diagnostic.message)).toEqual(['I can\'t learn from "../secret.prose": it is outside the files root /work.']);
  });
});
