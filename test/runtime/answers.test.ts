import { describe, expect, it } from "vitest";
import { answerToFact } from "../../src/runtime/answer-values.js";
import { factToJson } from "../../src/runtime/display.js";
import { AnswerBook, questionId } from "../../src/runtime/questions.js";
import { spanAt } from "../../src/syntax/span.js";

describe("answers given as text", () => {
  it("read as a person means them", () => {
    const read = (text: string) => factToJson(answerToFact(text));
    expect(["yes", "No", "TRUE", "nothing", "1,200.50", "$5", "15%", " 42 ", "x@y.z", "2024-11-05"].map(read)).toEqual([true, false, true, null, 1200.5, 5, 0.15, 42, "x@y.z", "2024-11-05"]);
  });

  it("keep JSON types, with records from objects", () => {
    expect(factToJson(answerToFact({ Due_Date: "2024-11-05", lines: [1, 2], paid: false, note: null }))).toEqual({ "due date": "2024-11-05", lines: [1, 2], paid: false, note: null });
  });
});

describe("the answer book", () => {
  const question = { id: "q-0123456789ab", text: "What is the vendor's email?", subject: "the vendor's email" };

  it("finds an answer by id, by text or by subject, ignoring case, spacing and curly apostrophes", () => {
    for (const key of ["q-0123456789AB", "  what is the VENDOR'S   email? ", "the vendor’s email"]) {
      const book = new AnswerBook();
      book.add(key, { value: "x@y.z" });
      expect([key, book.find(question)]).toEqual([key, { value: "x@y.z" }]);
    }
  });

  it("prefers the id over the text over the subject", () => {
    const book = new AnswerBook();
    book.add("the vendor's email", { value: "subject" });
    book.add("What is the vendor's email?", { value: "text" });
    expect(book.find(question)).toEqual({ value: "text" });
    book.add("q-0123456789ab", { skip: true });
    expect(book.find(question)).toEqual({ skip: true });
  });

  it("finds nothing for another question", () => {
    const book = new AnswerBook();
    book.add("the vendor", { value: "Acme" });
    expect(book.find({ id: "q-1", text: "What is the customer?", subject: "the customer" })).toBeUndefined();
  });
});

describe("question ids", () => {
  it("are stable for the same kind, place, subject and occurrence, and differ otherwise", () => {
    const span = spanAt("a.prose", 3, 5, 20);
    const id = questionId("value", span, "the vendor", 1);
    expect(id).toMatch(/^q-[0-9a-f]{12}$/);
    expect(questionId("value", span, "THE VENDOR", 1)).toBe(id);
    expect(new Set([id, questionId("choice", span, "the vendor", 1), questionId("value", spanAt("a.prose", 4, 5, 30), "the vendor", 1), questionId("value", span, "the customer", 1), questionId("value", span, "the vendor", 2)]).size).toBe(5);
  });
});
