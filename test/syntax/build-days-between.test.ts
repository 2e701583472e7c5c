import { describe, expect, it } from "vitest";
import { checkSource, lines } from "../support/run-script.js";

describe("the number of days between {a} and {b}", () => {
  it("is read only after `the number of`: another aggregate is an error that says how to write it", () => {
    const { diagnostics } = checkSource(lines("say the sum of days between today and tomorrow"));
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([
      ["unreadable-line", "`the sum of days between …` is not something I can work out: days between two dates are counted with `the number of days between …`."],
    ]);
  });

  it("leaves `the number of days` a count of the list `the days`", () => {
    expect(checkSource(lines("the days are 1 and 2", "say the number of days", "say the number of days whose value is 1")).diagnostics).toEqual([]);
  });
});
