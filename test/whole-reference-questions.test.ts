import { describe, expect, it } from "vitest";
import { checkScript } from "../src/check/check-script.js";
import { AnswerBook } from "../src/runtime/questions.js";
import { runProgram } from "../src/runtime/run-program.js";
import { parseScript } from "../src/syntax/parse-script.js";

async function run(source: string, answers: Record<string, string> = {}) {
  const program = checkScript(parseScript(source, "q.prose").script, { loadSource: () => undefined });
  const book = new AnswerBook();
  for (const [key, value] of Object.entries(answers)) book.add(key, { value });
  const output: string[] = [];
  const context = { say: (line: string) => output.push(line), warn: () => undefined, now: () => new Date(0), sleep: async () => undefined, readFile: async () => new Uint8Array(), writeFile: async () => undefined };
  return { ...(await runProgram(program, context, book)), said: output };
}

describe("a question about an unknown part of a name asks for the whole name", () => {
  it("asks for the vendor's email when the vendor is unknown (LANGUAGE.md §8's example)", async () => {
    const waiting = await run(`say the vendor's email\n`);
    expect(waiting.questions.map((question) => question.text)).toEqual(["What is the vendor's email?"]);
    const done = await run(`say the vendor's email\n`, { "the vendor's email": "a@b.c" });
    expect(done.said).toEqual(["a@b.c"]);
    expect(done.facts.vendor).toEqual({ email: "a@b.c" });
  });

  it("asks for a nested attribute missing from a known record", async () => {
    const source = `the customer's name is "Ada"\nsay the customer's address's city\n`;
    const waiting = await run(source);
    expect(waiting.questions[0].text).toBe("What is the customer's address's city?");
    const done = await run(source, { "the customer's address's city": "Paris" });
    expect(done.facts.customer).toEqual({ name: "Ada", address: { city: "Paris" } });
  });
});
