import { describe, expect, it } from "vitest";
import { splitTextLiteral } from "../../src/syntax/text-literal.js";

const pieces = (image: string) => splitTextLiteral(image);

describe("braces in double-quoted text", () => {
  it("start a value only when a word, a number or a ( follows", () => {
    expect(pieces('"Total: {the total}"').pieces).toEqual([{ kind: "plain", text: "Total: " }, { kind: "code", code: "the total", offset: 9 }]);
    expect(pieces('"{ the total }"').pieces).toEqual([{ kind: "code", code: " the total ", offset: 2 }]);
    expect(pieces('"{(1 + 2)}"').pieces.map((piece) => piece.kind)).toEqual(["code"]);
    expect(pieces('"{1 + 1}"').pieces.map((piece) => piece.kind)).toEqual(["code"]);
    expect(pieces('"{-the total} {$5 + the fee}"').pieces.map((piece) => piece.kind)).toEqual(["code", "plain", "code"]);
  });

  it("are literal braces after {\", {\\\", {} and {{, with the } that closes them", () => {
    expect(pieces('"{\\"code\\": 38}"')).toEqual({ pieces: [{ kind: "plain", text: '{"code": 38}' }], problems: [] });
    expect(pieces('"{}"')).toEqual({ pieces: [{ kind: "plain", text: "{}" }], problems: [] });
    expect(pieces('"{\\"a\\": {\\"b\\": [1, {}]}}"')).toEqual({ pieces: [{ kind: "plain", text: '{"a": {"b": [1, {}]}}' }], problems: [] });
    expect(pieces('"{{the total}}"')).toEqual({ pieces: [{ kind: "plain", text: "{the total}" }], problems: [] });
  });

  it("mixes literal braces and values", () => {
    expect(pieces('"{\\"total\\": {the total}}"').pieces).toEqual([
      { kind: "plain", text: '{"total": ' },
      { kind: "code", code: "the total", offset: 14 },
      { kind: "plain", text: "}" },
    ]);
  });

  it("still reports a } that closes nothing, and a value never closed", () => {
    expect(pieces('"a } b"').problems.map((problem) => problem.message)).toEqual(["This `}` closes nothing."]);
    expect(pieces('"{the total"').problems.map((problem) => problem.message)).toEqual(["This `{` opens a value inside the text but is never closed."]);
  });
});

describe("single-quoted text", () => {
  it("has no values inside and no escape but \\'", () => {
    expect(pieces(`'{"name": "John", "age": {the age}} \\n'`)).toEqual({ pieces: [{ kind: "plain", text: '{"name": "John", "age": {the age}} \\n' }], problems: [] });
    expect(pieces("'O\\'Brien'").pieces).toEqual([{ kind: "plain", text: "O'Brien" }]);
    expect(pieces("''").pieces).toEqual([]);
  });
});
