import { describe, expect, it } from "vitest";
import { readAnswers } from "../../src/cli/answers.js";
import { UsageError } from "../../src/cli/usage-error.js";

const question = (text: string, subject?: string) => ({ id: "q-000000000000", text, ...(subject ? { subject } : {}) });

describe("--answers and --answer", () => {
  it("read a file of answers: values, skip and retry", () => {
    const book = readAnswers(JSON.stringify({ "What is the vendor?": "Acme", "the total": 5, "the note": { skip: true }, "q-000000000001": { retry: true }, "the record": { value: { a: 1 } } }), "answers.json", []);
    expect(book.find(question("What is the vendor?"))).toEqual({ value: "Acme" });
    expect(book.find(question("x", "the total"))).toEqual({ value: 5 });
    expect(book.find(question("x", "the note"))).toEqual({ skip: true });
    expect(book.find({ id: "q-000000000001", text: "x" })).toEqual({ retry: true });
    expect(book.find(question("x", "the record"))).toEqual({ value: { a: 1 } });
  });

  it("read --answer pairs at the first =, with skip and retry", () => {
    const book = readAnswers(undefined, undefined, ["the vendor's email=x=y@z", "the note=skip", "the call= RETRY "]);
    expect(book.find(question("x", "the vendor's email"))).toEqual({ value: "x=y@z" });
    expect(book.find(question("x", "the note"))).toEqual({ skip: true });
    expect(book.find(question("x", "the call"))).toEqual({ retry: true });
  });

  it("let --answer override the file", () => {
    const book = readAnswers(JSON.stringify({ "the vendor": "file" }), "a.json", ["the vendor=flag"]);
    expect(book.find(question("x", "the vendor"))).toEqual({ value: "flag" });
  });

  it("refuse bad input with an English usage error and its fix", () => {
    const attempt = (run: () => unknown) => {
      try {
        run();
      } catch (problem) {
        expect(problem).toBeInstanceOf(UsageError);
        return { message: (problem as UsageError).message, fix: (problem as UsageError).fix };
      }
      throw new Error("expected a usage error");
    };
    expect(attempt(() => readAnswers(undefined, undefined, ["the vendor"])).message).toBe('--answer "the vendor" has no "=".');
    expect(attempt(() => readAnswers(undefined, undefined, ["=x"]))).toEqual({ message: '--answer "=x" names nothing before "=".', fix: 'Write it as --answer "the vendor\'s email=x@y.z" or --answer "q-1a2b3c4d5e6f=Email".' });
    expect(attempt(() => readAnswers("null", "a.json", [])).message).toBe("The answers file a.json must hold one JSON object, from question id or text to answer.");
    expect(attempt(() => readAnswers("{", "a.json", [])).message).toMatch(/^The answers file a\.json is not valid JSON: /);
  });
});
