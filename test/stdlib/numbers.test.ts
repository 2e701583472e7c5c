import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

describe("round {number}", () => {
  it("rounds half up to a whole number by default", async () => {
    expect(await output(lines("round 2.5", "say the above", "round -2.5", "say the above", "round 2.49", "say the above"))).toEqual(["3", "-3", "2"]);
  });

  it("rounds to `the decimals are …` places, in place", async () => {
    expect(await output(lines("the total is 2.345", "round the total", "    the decimals are 2", "say the total"))).toEqual(["2.35"]);
  });

  it("also takes `the decimals is …`", async () => {
    expect(await output(lines("round 1.23456", "    the decimals is 3", "say the above"))).toEqual(["1.235"]);
  });

  it("keeps the unit: percentages round in percent", async () => {
    expect(await output(lines("round 12.345%", "    the decimals are 1", "say the above", "round $2.499", "say the above"))).toEqual(["12.3%", "$2.00"]);
  });

  it("refuses decimals that are not whole, in English", async () => {
    expect(await failure(lines("round 1.5", "    the decimals are 1.5"))).toEqual({
      message: '`the decimals` must be a whole number, but it is "1.5".',
      at: "/scripts/main.prose:1:1",
      fix: "fix: write it as `the decimals are 0`.",
    });
  });

  it("refuses too many decimals, in English", async () => {
    expect((await failure(lines("round 1.5", "    the decimals are 25"))).message).toBe("`the decimals` must be between 0 and 20, but it is 25.");
  });

  it("refuses a text that is not a number, in English", async () => {
    expect(await failure(lines('round "abc"'))).toEqual({
      message: 'I expected a number here, but got a text ("abc").',
      at: "/scripts/main.prose:1:1",
      fix: "fix: give a number here.",
    });
  });
});

describe("convert {value} to a number", () => {
  it("reads thousands separators, currency and percent", async () => {
    const result = await run(lines('the a is "1,200.50"', 'the b is "$5"', 'the c is "15%"', 'the d is " -3 "', "convert the a to a number", "convert the b to a number", "convert the c to a number", "convert the d to a number", "say the b", "say the c"));
    expect(result.facts).toEqual({ a: 1200.5, b: 5, c: 0.15, d: -3 });
    expect(result.output).toEqual(["$5.00", "15%"]);
  });

  it("refuses a text that is no number, in English", async () => {
    expect(await failure(lines('convert "abc" to a number'))).toEqual({
      message: 'I can\'t read a text "abc" as a number.',
      at: "/scripts/main.prose:1:1",
      fix: "fix: a number looks like 1200, 1,200.50, $5 or 15%.",
    });
  });
});
