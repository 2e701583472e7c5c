import { describe, expect, it } from "vitest";
import { waiting } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

describe("add {value} to {target} when the target is nothing", () => {
  it("starts a list of one, which further adds extend", async () => {
    const source = lines("the checklist is nothing", 'add "first task" to the checklist', 'add "second task" to the checklist', "say the checklist", "say the number of the checklist", "say the first checklist");
    expect(await output(source)).toEqual(["first task and second task", "2", "first task"]);
  });

  it("gives a list of one for a single added text", async () => {
    const result = await run(lines("the checklist is nothing", 'add "first task" to the checklist'));
    expect(result.facts.checklist).toEqual(["first task"]);
  });

  it("adds a record as a copy, so a later change does not reach the list", async () => {
    const source = lines("the entries is nothing", 'the entry\'s name is "Ann"', "add the entry to the entries", 'the entry\'s name is "Bob"', "say the entries' names");
    expect(await output(source)).toEqual(["Ann"]);
  });

  it("gives the number when a number is added", async () => {
    const result = await run(lines("the counter is nothing", "add 5 to the counter", "the total is nothing", "add $2.50 to the total", "say the counter", "say the total"));
    expect(result.output).toEqual(["5", "$2.50"]);
    expect(result.facts.counter).toBe(5);
  });

  it("still asks for a fact that was never set", async () => {
    const result = await waiting(lines("add 1 to the counter", "say the counter"));
    expect(result.questions.map((question) => question.text)).toEqual(["What is the counter?"]);
  });
});
