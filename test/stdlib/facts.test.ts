import { describe, expect, it } from "vitest";
import { failure, waiting } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

describe("add {value} to {target}", () => {
  it("adds a number in place, decimally", async () => {
    expect(await output(lines("the counter is 0.1", "add 0.2 to the counter", "say the counter"))).toEqual(["0.3"]);
  });

  it("appends an item to a list", async () => {
    expect(await output(lines('the names are "a"', 'add "b" to the names', "say the names"))).toEqual(["a and b"]);
  });

  it("keeps the unit of an amount", async () => {
    expect(await output(lines("the balance is $10", "add 5 to the balance", "say the balance"))).toEqual(["$15.00"]);
  });

  it("refuses two currencies, in English", async () => {
    expect(await failure(lines("the balance is $10", "add €5 to the balance"))).toEqual({
      message: "I can't add $ and € amounts.",
      at: "/scripts/main.prose:2:1",
      fix: "fix: convert them to the same unit first.",
    });
  });

  it("refuses a value that is not a number, in English", async () => {
    expect((await failure(lines("the flag is yes", "add 1 to the flag"))).message).toBe('I can\'t add a yes/no and a number: "yes" is not a number.');
  });
});

describe("subtract {value} from {target}", () => {
  it("subtracts in place", async () => {
    expect(await output(lines("the counter is 1", "subtract 5 from the counter", "say the counter"))).toEqual(["-4"]);
  });

  it("removes every equal item from a list", async () => {
    expect(await output(lines('the names are "a", "B", "b"', 'subtract "b" from the names', "say the names"))).toEqual(["a"]);
  });

  it("refuses a value that is not a number, in English", async () => {
    expect((await failure(lines('the word is "x"', "subtract 1 from the word"))).message).toBe('I can\'t subtract a text and a number: "x" is not a number.');
  });
});

describe("get {name}", () => {
  it("fetches a known value as the above", async () => {
    expect(await output(lines("the x is 3", "get the x", "say the above"))).toEqual(["3"]);
  });

  it("asks for an unknown value", async () => {
    const result = await waiting(lines("get the customer"));
    expect(result.questions.map((question) => question.text)).toEqual(["What is the customer?"]);
  });

  it("names the value with `as the …`", async () => {
    const result = await run(lines("get the y as the z"), { answers: { "the y": { value: "7" } } });
    expect(result.facts).toEqual({ y: 7, z: 7 });
  });
});
