import { describe, expect, it } from "vitest";
import { questionId } from "../../../src/runtime/questions.js";
import type { Span } from "../../../src/syntax/span.js";

const at = (file: string, line = 12, column = 9): Span => ({ file, start: { line, column, offset: 0 }, end: { line, column: column + 1, offset: 1 } });

describe("a question's id", () => {
  it("is the same however the script's path was typed", () => {
    const ids = ["coupon-check.prose", "./coupon-check.prose", "examples/coupon-check.prose", "/home/ann/prose/examples/coupon-check.prose"].map((file) =>
      questionId("choice", at(file), "How should we send the receipt?", 1),
    );
    expect(new Set(ids).size).toBe(1);
  });

  it("still differs by place, subject and occurrence", () => {
    const base = questionId("value", at("a.prose"), "the buyer", 1);
    expect(questionId("value", at("a.prose", 13), "the buyer", 1)).not.toBe(base);
    expect(questionId("value", at("b.prose"), "the buyer", 1)).not.toBe(base);
    expect(questionId("value", at("a.prose"), "the seller", 1)).not.toBe(base);
    expect(questionId("value", at("a.prose"), "the buyer", 2)).not.toBe(base);
  });
});
