import { describe, expect, it } from "vitest";
import type { Answer, Question } from "../../src/runtime/questions.js";
import { waiting } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

const unknownVendor = lines('say "start"', "say the vendor", 'say "end"');

describe("value questions for unknown facts", () => {
  it("stop the run, waiting, with one value question and a stable id", async () => {
    const result = await waiting(unknownVendor);
    expect(result.output).toEqual(["start"]);
    expect(result.questions).toEqual([{ id: expect.stringMatching(/^q-[0-9a-f]{12}$/), kind: "value", text: "What is the vendor?", at: "/scripts/main.prose:2:9", choices: [], subject: "the vendor" }]);
  });

  it("have the same ids when the same script runs twice", async () => {
    const first = await waiting(unknownVendor);
    const second = await waiting(unknownVendor);
    expect(second.questions).toEqual(first.questions);
  });

  it("have different ids at different places", async () => {
    const first = await waiting(lines("say the vendor"));
    const second = await waiting(lines("", "say the vendor"));
    expect(second.questions[0].id).not.toBe(first.questions[0].id);
  });

  it("are answered by id", async () => {
    const { questions } = await waiting(unknownVendor);
    expect(await output(unknownVendor, { answers: { [questions[0].id]: { value: "Acme" } } })).toEqual(["start", "Acme", "end"]);
  });

  it("are answered by the question's text, ignoring case and spacing", async () => {
    expect(await output(unknownVendor, { answers: { "what is  the VENDOR?": { value: "Acme" } } })).toEqual(["start", "Acme", "end"]);
  });

  it("are answered by the fact's name", async () => {
    expect(await output(unknownVendor, { answers: { "the vendor": { value: "Acme" } } })).toEqual(["start", "Acme", "end"]);
  });

  it("read a text answer as a person means it", async () => {
    const result = await run(lines("say the total + 1", "say the paid", "say the note"), { answers: { "the total": { value: "1,200" }, "the paid": { value: "yes" }, "the note": { value: "nothing" } } });
    expect(result.output).toEqual(["1201", "yes", "nothing"]);
  });

  it("take a JSON answer as a record", async () => {
    const result = await run(lines("say the vendor", "say the vendor's email"), { answers: { "the vendor": { value: { Email: "x@y.z" } } } });
    expect(result.output).toEqual(["email: x@y.z", "x@y.z"]);
  });

  it("set the fact to nothing when skipped", async () => {
    const result = await run(unknownVendor, { answers: { "the vendor": { skip: true } } });
    expect(result).toMatchObject({ status: "done", output: ["start", "nothing", "end"], facts: { vendor: null } });
  });

  it("are asked once: the answer is kept for later lines", async () => {
    expect(await output(lines("say the vendor", "say the vendor"), { answers: { "the vendor": { value: "Acme" } } })).toEqual(["Acme", "Acme"]);
  });

  it("come from a person at a terminal when the run is interactive", async () => {
    const asked: Question[] = [];
    const askPerson = async (question: Question): Promise<Answer> => {
      asked.push(question);
      return { value: "Acme" };
    };
    expect(await output(unknownVendor, { askPerson })).toEqual(["start", "Acme", "end"]);
    expect(asked.map((question) => question.text)).toEqual(["What is the vendor?"]);
  });

  it("inside a procedure ask about the procedure's fact", async () => {
    const result = await waiting(lines("to greet a person", '    say "{the greeting}, {the person}"', 'greet "Jo"'));
    expect(result.questions.map((question) => question.text)).toEqual(["What is the greeting?"]);
  });
});

describe("ask", () => {
  const askMethod = lines('ask "What is the notification method?"', '    the choices are "Email", "SMS"', 'say "by {the answer}"');

  it("raises a choice question with its choices", async () => {
    const result = await waiting(askMethod);
    expect(result.questions).toEqual([{ id: expect.stringMatching(/^q-/), kind: "choice", text: "What is the notification method?", at: "/scripts/main.prose:1:1", choices: ["Email", "SMS"] }]);
  });

  it("takes a choice whatever its case, as the choice is written", async () => {
    expect(await output(askMethod, { answers: { "What is the notification method?": { value: " sms " } } })).toEqual(["by SMS"]);
  });

  it("rejects an answer that is not one of the choices, keeping the question open with the reason", async () => {
    const open = await waiting(askMethod);
    const result = await waiting(askMethod, { answers: { [open.questions[0].id]: { value: "Pigeon" } } });
    expect(result.questions).toEqual([{ ...open.questions[0], problem: '"Pigeon" is not one of the choices: Email, SMS.' }]);
  });

  it("asks a person again after an answer that is not a choice", async () => {
    const answers: Answer[] = [{ value: "Pigeon" }, { value: "email" }];
    const problems: Array<string | undefined> = [];
    const askPerson = async (question: Question): Promise<Answer> => {
      problems.push(question.problem);
      return answers.shift()!;
    };
    expect(await output(askMethod, { askPerson })).toEqual(["by Email"]);
    expect(problems).toEqual([undefined, '"Pigeon" is not one of the choices: Email, SMS.']);
  });

  it("without choices takes any answer as `the answer`", async () => {
    const result = await run(lines('ask "How many?"', "say the answer * 2"), { answers: { "How many?": { value: "21" } } });
    expect(result).toMatchObject({ status: "done", output: ["42"], facts: { answer: 21 } });
  });

  it("asked twice in a loop raises a new question each time", async () => {
    const first = await waiting(lines("repeat 2 times", '    ask "Next?"'));
    const answers = { [first.questions[0].id]: { value: "a" } };
    const second = await waiting(lines("repeat 2 times", '    ask "Next?"'), { answers });
    expect(second.questions[0].id).not.toBe(first.questions[0].id);
    expect(second.questions[0].text).toBe("Next?");
  });
});

describe("validate", () => {
  const script = lines("the total is -5", 'the name is ""', "validate the following", "    ensure the total is greater than 0", "    ensure the name is not empty", "    ensure 1 is 1", 'say "total {the total}, name {the name}"');

  it("raises one validation question per failing check, all at once", async () => {
    const result = await waiting(script);
    expect(result.questions).toEqual([
      { id: expect.stringMatching(/^q-/), kind: "validation", text: "Check failed: the total is greater than 0. What should the total be? (answer skip to accept it as it is)", at: "/scripts/main.prose:4:5", choices: [], subject: "the total" },
      { id: expect.stringMatching(/^q-/), kind: "validation", text: "Check failed: the name is not empty. What should the name be? (answer skip to accept it as it is)", at: "/scripts/main.prose:5:5", choices: [], subject: "the name" },
    ]);
    expect(result.questions[0].id).not.toBe(result.questions[1].id);
  });

  it("takes corrected values and skips, then checks again", async () => {
    const { questions } = await waiting(script);
    const answers = { [questions[0].id]: { value: "7" }, [questions[1].id]: { skip: true } } as const;
    expect(await output(script, { answers })).toEqual(["total 7, name "]);
  });

  it("keeps the question open, saying why, when a given corrected value still fails", async () => {
    const { questions } = await waiting(script);
    const result = await waiting(script, { answers: { [questions[0].id]: { value: "-1" }, [questions[1].id]: { value: "Jo" } } });
    expect(result.questions).toHaveLength(1);
    expect(result.questions[0].text).toMatch(/^Check failed: the total is greater than 0\./);
    expect(result.questions[0].id).toBe(questions[0].id);
    expect(result.questions[0].problem).toBe("the total = -1 still fails the check (the total is greater than 0).");
  });

  it("passes silently when every check holds", async () => {
    expect(await output(lines("the total is 5", "validate the following:", "    ensure the total is greater than 0", "ensure the total is less than 10", 'say "ok"'))).toEqual(["ok"]);
  });

  it("a single `ensure` line is a validation of one check", async () => {
    const result = await waiting(lines("the total is 50", "ensure the total is less than 10"));
    expect(result.questions.map((question) => question.kind)).toEqual(["validation"]);
  });
});
