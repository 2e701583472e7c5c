import { describe, expect, it } from "vitest";
import { lines, runSource } from "../../support/run-source.js";

describe("an ISO text in date arithmetic", () => {
  it("counts the days between a date and an ISO text, either way round", async () => {
    const result = await runSource(
      lines(
        'the due date is "2024-12-05"',
        "convert the due date to a date",
        'say the due date - "2024-11-05"',
        'say "2024-12-25" - the due date',
        'say "2024-12-25" - "2024-12-01"',
      ),
    );
    expect(result.output).toEqual(["30", "20", "24"]);
  });

  it("moves an ISO text back by a number of days", async () => {
    const result = await runSource(lines('the due date is "2024-03-01"', "say the due date - 1"));
    expect(result.output).toEqual(["2024-02-29"]);
  });

  it("still refuses a text that is not a date", async () => {
    const result = await runSource(lines('say "soon" - 1'));
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain("can't subtract a text and a number");
  });
});
