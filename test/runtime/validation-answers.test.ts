import { describe, expect, it } from "vitest";
import type { Answer, Question } from "../../src/runtime/questions.js";
import { waiting } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

const lowTotal = lines("the total is 50", "validate the following", "    ensure the total is greater than 100", 'say "total {the total}"');

describe("a validation question answered by the fact it is about", () => {
  it("names that fact as its subject", async () => {
    const result = await waiting(lowTotal);
    expect(result.questions).toMatchObject([{ kind: "validation", subject: "the total" }]);
  });

  it("takes `the total=120` as the corrected total", async () => {
    expect(await output(lowTotal, { answers: { "the total": { value: "120" } } })).toEqual(["total 120"]);
  });

  it("takes the fact's name whatever its case and spacing", async () => {
    expect(await output(lowTotal, { answers: { "The  Total": { value: "1,200" } } })).toEqual(["total 1200"]);
  });

  it("names a possessive fact: the invoice's total", async () => {
    const script = lines("the invoice's total is 5", "ensure the invoice's total is at least 10", 'say "{the invoice\'s total}"');
    expect((await waiting(script)).questions[0].subject).toBe("the invoice's total");
    expect(await output(script, { answers: { "the invoice's total": { value: "12" } } })).toEqual(["12"]);
  });

  it("stays open with the reason when the answer still fails, instead of asking itself without end", async () => {
    const result = await run(lowTotal, { answers: { "the total": { value: "20" } } });
    expect(result).toMatchObject({ status: "waiting", questions: [{ kind: "validation", subject: "the total", problem: "the total = 20 still fails the check (the total is greater than 100)." }] });
  });

  it("stays open when answered by its text with a value that still fails", async () => {
    const { questions } = await waiting(lowTotal);
    const result = await run(lowTotal, { answers: { [questions[0].text]: { value: "20" } } });
    expect(result.status).toBe("waiting");
    expect(result.questions[0].id).toBe(questions[0].id);
  });

  it("at a terminal, asks the person again with the reason when the given answer still fails", async () => {
    const asked: Question[] = [];
    const askPerson = async (question: Question): Promise<Answer> => {
      asked.push(question);
      return { value: "150" };
    };
    expect(await output(lowTotal, { answers: { "the total": { value: "20" } }, askPerson })).toEqual(["total 150"]);
    expect(asked.map((question) => question.problem)).toEqual(["the total = 20 still fails the check (the total is greater than 100)."]);
  });
});
