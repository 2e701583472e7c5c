import { describe, expect, it } from "vitest";
import { runScript } from "./support/run-script.js";

async function run(source: string, answers: Record<string, string> = {}) {
  const outcome = await runScript(source, { file: "/scripts/q.prose", answers: Object.fromEntries(Object.entries(answers).map(([key, value]) => [key, { value }])) });
  return { ...outcome.result!, said: outcome.said };
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
