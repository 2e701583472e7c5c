import { describe, expect, it } from "vitest";
import { lines, runSource } from "../../support/run-source.js";

describe("`are` binds a list", () => {
  it("makes a list of one item", async () => {
    const result = await runSource(lines('the codes are "A"', 'add "B" to the codes', "say the number of codes", "say the codes"));
    expect(result.output).toEqual(["2", "A and B"]);
    expect(result.facts.codes).toEqual(["A", "B"]);
  });

  it("makes an empty list from nothing", async () => {
    const result = await runSource(lines("the results are nothing", 'add "x" to the results', "say the results"));
    expect(result.output).toEqual(["x"]);
    expect(result.facts.results).toEqual(["x"]);
  });

  it("keeps `is` with one value a plain value", async () => {
    const result = await runSource(lines('the code is "A"', "say the code"));
    expect(result.facts.code).toBe("A");
  });
});
