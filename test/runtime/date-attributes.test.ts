import { describe, expect, it } from "vitest";
import { dateOwnAttribute, daysBetweenValue } from "../../src/runtime/date-attributes.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { dateFromText, number, text, type DateValue } from "../../src/runtime/values.js";

const span = { file: "x.prose", start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const date = (written: string) => dateFromText(written) as DateValue;

describe("a date's own attributes", () => {
  it("gives the weekday, day, month, month name and year of its calendar day", () => {
    const leap = date("2024-02-29 23:30");
    expect(dateOwnAttribute(leap, "weekday")).toEqual(text("Thursday"));
    expect(dateOwnAttribute(leap, "day")).toEqual(number(29));
    expect(dateOwnAttribute(leap, "month")).toEqual(number(2));
    expect(dateOwnAttribute(leap, "month name")).toEqual(text("February"));
    expect(dateOwnAttribute(leap, "year")).toEqual(number(2024));
  });

  it("reads them from a text that is an ISO date, and from no other text or name", () => {
    expect(dateOwnAttribute(text("2026-01-01"), "weekday")).toEqual(text("Thursday"));
    expect(dateOwnAttribute(text("2026-02-30"), "weekday")).toBeUndefined();
    expect(dateOwnAttribute(text("soon"), "year")).toBeUndefined();
    expect(dateOwnAttribute(date("2026-01-01"), "colour")).toBeUndefined();
  });
});

describe("days between", () => {
  it("is b minus a in whole days, across leap days, whatever the times", () => {
    expect(daysBetweenValue({ span }, date("2024-02-28"), date("2024-03-01"))).toEqual(number(2));
    expect(daysBetweenValue({ span }, date("2026-03-01 23:59"), date("2026-01-31 00:01"))).toEqual(number(-29));
    expect(daysBetweenValue({ span }, text("2026-01-01"), text("2027-01-01"))).toEqual(number(365));
  });

  it("names a value that is not a date", () => {
    expect(() => daysBetweenValue({ span }, number(3), date("2026-01-01"))).toThrow(RuntimeError);
    expect(() => daysBetweenValue({ span }, number(3), date("2026-01-01"))).toThrow("I can't count the days between a number (3) and a date (2026-01-01): a number (3) is not a date.");
  });
});

describe("ISO texts", () => {
  it("are no date when the time of day does not exist", () => {
    expect(dateFromText("2026-01-01 24:00")).toBeUndefined();
    expect(dateFromText("2026-01-01 23:60")).toBeUndefined();
    expect(dateFromText("2026-01-01 23:59:59")).toEqual({ kind: "date", date: "2026-01-01", time: "23:59:59" });
  });
});
