import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

describe("sort {list}", () => {
  it("sorts numbers ascending, in place", async () => {
    expect(await output(lines("the totals are 3, 10, 1.5", "sort the totals", "say the totals"))).toEqual(["1.5, 3 and 10"]);
  });

  it("sorts descending with `the order`", async () => {
    expect(await output(lines("the totals are 3, 10, 1.5", "sort the totals", '    the order is "Descending"', "say the totals"))).toEqual(["10, 3 and 1.5"]);
  });

  it("sorts texts alphabetically, ignoring case, with numbers in their order", async () => {
    expect(await output(lines('the names are "b", "A", "item 10", "item 9"', "sort the names", "say the names"))).toEqual(["A, b, item 9 and item 10"]);
  });

  it("sorts dates, including ISO texts", async () => {
    expect(await output(lines('the days are "2024-12-01", "2024-01-31", today', "sort the days", "say the days"))).toEqual(["2024-01-31, 2024-11-05 and 2024-12-01"]);
  });

  it("sorts records by `the key`", async () => {
    const source = lines(
      "the first invoice's total is 50",
      'the first invoice\'s number is "A"',
      "the second invoice's total is 20",
      'the second invoice\'s number is "B"',
      "sort the invoices",
      '    the key is "total"',
      "say the first invoice's number",
    );
    expect(await output(source)).toEqual(["B"]);
  });

  it("refuses an unknown order, in English", async () => {
    expect(await failure(lines("the totals are 1, 2", "sort the totals", '    the order is "sideways"'))).toEqual({
      message: '`the order` must be "ascending" or "descending", not "sideways".',
      at: "/scripts/main.prose:2:1",
    });
  });

  it("refuses items of different kinds, in English", async () => {
    expect(await failure(lines('the mixed are 1, "a"', "sort the mixed"))).toEqual({
      message: 'I can\'t sort these items: "a" and "1" are not of one kind.',
      at: "/scripts/main.prose:2:1",
      fix: "fix: sort a list of numbers, dates or texts, or give `the key is …`.",
    });
  });

  it("refuses a value that is not a list, in English", async () => {
    expect((await failure(lines("the total is 5", "sort the total"))).message).toBe('I expected a list here, but got a number ("5").');
  });

  it("leaves the list alone with `as the …`", async () => {
    const result = await run(lines("the totals are 2, 1", "sort the totals as the sorted totals"));
    expect(result.facts).toEqual({ totals: [2, 1], "sorted totals": [1, 2] });
  });
});
