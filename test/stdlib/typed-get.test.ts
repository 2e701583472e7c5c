import { describe, expect, it } from "vitest";
import type { Answer, Question } from "../../src/runtime/questions.js";
import { failure, waiting } from "../support/expectations.js";
import { checkSource, lines, output, run } from "../support/run-script.js";

const spend = lines("get the vendor's annual spend as a number", 'say "{the vendor\'s annual spend + 1}"');

describe("`get … as a <type>`", () => {
  it("asks a question that says the type it expects", async () => {
    const result = await waiting(spend);
    expect(result.questions).toEqual([
      { id: expect.stringMatching(/^q-/), kind: "value", text: "What is the vendor's annual spend? (a number)", at: "/scripts/main.prose:1:9", choices: [], subject: "the vendor's annual spend", expects: "number" },
    ]);
  });

  it("keeps the question open, saying a number is expected, when the answer is not one", async () => {
    const first = await waiting(spend);
    const result = await waiting(spend, { answers: { "the vendor's annual spend": { value: "lots" } } });
    expect(result.questions).toHaveLength(1);
    expect(result.questions[0]).toMatchObject({ id: first.questions[0].id, problem: '"lots" is a text, not a number. The answer must be a number.' });
  });

  it("takes `1,200` as the number 1200", async () => {
    expect(await output(spend, { answers: { "the vendor's annual spend": { value: "1,200" } } })).toEqual(["1201"]);
  });

  it("asks a person at a terminal again, with the reason, until the answer fits", async () => {
    const asked: Question[] = [];
    const replies = ["lots", "$1,200.50"];
    const askPerson = async (question: Question): Promise<Answer> => {
      asked.push(question);
      return { value: replies.shift() };
    };
    expect(await output(spend, { askPerson })).toEqual(["$1,201.50"]);
    expect(asked.map((question) => question.problem)).toEqual([undefined, '"lots" is a text, not a number. The answer must be a number.']);
  });

  it("checks dates, yes or no, and lists", async () => {
    const script = lines("get the start as a date", "get the rush as yes or no", "get the urgent as a boolean", "get the tags as a list", 'say "{the start + 1} {the rush} {the urgent} {the number of tags}"');
    const answers = { "the start": { value: "2024-11-05" }, "the rush": { value: "Yes" }, "the urgent": { value: "no" }, "the tags": { value: "red, green and blue" } };
    expect(await output(script, { answers })).toEqual(["2024-11-06 yes no 3"]);
    const wrong = await waiting(script, { answers: { ...answers, "the start": { value: "next week" }, "the rush": { value: "maybe" } } });
    expect(wrong.questions.map((question) => question.problem)).toEqual([
      '"next week" is a text, not a date: write it as year-month-day, such as 2024-11-05. The answer must be a date.',
      '"maybe" is a text, not yes or no. The answer must be yes or no.',
    ]);
  });

  it("keeps a text answer as written: `as text` does not read 007 as a number", async () => {
    expect(await output(lines("get the PO number as text", "say the PO number"), { answers: { "the PO number": { value: "007" } } })).toEqual(["007"]);
  });

  it("reads a known value as the type, in place", async () => {
    expect(await output(lines('the amount is "1,200"', "get the amount as a number", "say the amount + 1"))).toEqual(["1201"]);
  });

  it("fails in English when a known value is not of the type", async () => {
    expect(await failure(lines('the amount is "lots"', "get the amount as a number"))).toEqual({
      message: 'I expected a number here: "lots" is a text, not a number.',
      at: "/scripts/main.prose:2:1",
      fix: "fix: give a number, or get it without `as a number`.",
    });
  });

  it("names the result with `as the …` after the type, leaving the fact as it was", async () => {
    const result = await run(lines('the amount is "1,200"', "get the amount as a number as the spend", "say the spend + 1", "say the amount"));
    expect(result.output).toEqual(["1201", "1,200"]);
  });

  it("is known to `prose check`", () => {
    expect(checkSource(lines("get the spend as a number", "get the day as a date", "get the flag as yes or no", "get the name as text", "get the tags as a list")).diagnostics).toEqual([]);
  });
});
