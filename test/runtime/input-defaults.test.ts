import { describe, expect, it } from "vitest";
import { answerToFact } from "../../src/runtime/answer-values.js";
import type { RunInput } from "../../src/runtime/run-program.js";
import { lines, run } from "../support/run-script.js";

const input = (name: string, value: string): RunInput => ({ name, value: answerToFact(value) });

describe("inputs win over a script's defaults", () => {
  it("skips a top-level line that sets a fact --input gave", async () => {
    const source = lines("the income tax rate is 22.5%", "the income is $1,000", "the tax is the income * the income tax rate", "say the tax");
    const result = await run(source, { inputs: [input("income tax rate", "30%")] });
    expect(result.output).toEqual(["$300.00"]);
    expect(result.facts["income tax rate"]).toBe(0.3);
  });

  it("runs the line as before when no input gave the fact", async () => {
    const result = await run(lines("the income tax rate is 22.5%", "say the income tax rate"));
    expect(result.output).toEqual(["22.5%"]);
  });

  it("skips an input's attribute set at the top level, and keeps the script's other attributes", async () => {
    const source = lines('the customer\'s name is "Ann"', 'the customer\'s city is "Lyon"', 'say "{the customer\'s name} in {the customer\'s city}"');
    const result = await run(source, { inputs: [input("the customer's city", "Paris")] });
    expect(result.output).toEqual(["Ann in Paris"]);
  });

  it("runs lines inside an if, a loop or a procedure: they are the script's work, not defaults", async () => {
    const source = lines(
      "to reset the rate",
      "    the rate is 1%",
      "if yes",
      "    the discount is 5%",
      "say the discount",
      "repeat 1 times",
      "    the limit is 10",
      "say the limit",
    );
    const result = await run(source, { inputs: [input("discount", "50%"), input("limit", "3")] });
    expect(result.output).toEqual(["5%", "10"]);
  });

  it("runs a line that reads the fact it sets, and any line after the fact was changed", async () => {
    const source = lines("the total is 0", "the total is the total + 5", "the total is 100", "say the total", "the count is 1", "add 1 to the count", "the count is 7", "say the count");
    const result = await run(source, { inputs: [input("total", "10"), input("count", "40")] });
    expect(result.output).toEqual(["100", "7"]);
  });

  it("skips `set … to …` and `use … as …` defaults too, but not a procedure's result", async () => {
    const source = lines("set the rate to 5%", 'use "EUR" as the currency', 'join ("a", "b") as the label', "say the rate", "say the currency", "say the label");
    const result = await run(source, { inputs: [input("rate", "7%"), input("currency", "GBP"), input("label", "given")] });
    expect(result.output).toEqual(["7%", "GBP", "a b"]);
  });

  it("skips a default repeated before anything changed the fact", async () => {
    const result = await run(lines("the currency is \"EUR\"", "the currency is \"USD\"", "say the currency"), { inputs: [input("currency", "GBP")] });
    expect(result.output).toEqual(["GBP"]);
  });
});
