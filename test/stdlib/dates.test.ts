import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

describe("get the current date", () => {
  it("reads the run's clock", async () => {
    const result = await run(lines("get the current date", "say the current date"));
    expect(result.output).toEqual(["2024-11-05"]);
    expect(result.facts).toEqual({ "current date": "2024-11-05" });
  });
});

describe("add {count} days to {date}", () => {
  it("moves an ISO text date in place, across months and leap days", async () => {
    expect(await output(lines('the due date is "2024-02-27"', "add 3 days to the due date", "say the due date", 'add 30 days to "2024-01-31"', "say the above"))).toEqual(["2024-03-01", "2024-03-01"]);
  });

  it("moves backwards with a negative count", async () => {
    expect(await output(lines("add -5 days to today", "say the above"))).toEqual(["2024-10-31"]);
  });

  it("refuses part of a day, in English", async () => {
    expect(await failure(lines("add 1.5 days to today"))).toEqual({ message: "I can only add whole days, not 1.5.", at: "/scripts/main.prose:1:1" });
  });

  it("refuses a value that is not a date, in English", async () => {
    expect(await failure(lines('add 2 days to "soon"'))).toEqual({
      message: '"soon" is not a date: I read dates written as yyyy-MM-dd.',
      at: "/scripts/main.prose:1:1",
      fix: 'fix: write the date as yyyy-MM-dd, such as "2024-11-05", or read it first with `convert … to a date` and `the format is "MM/dd/yyyy"`.',
    });
  });
});

describe("convert {value} to a date", () => {
  it("reads an ISO date", async () => {
    expect(await output(lines('the day is "2024-02-29"', "convert the day to a date", "say the day + 1"))).toEqual(["2024-03-01"]);
  });

  it("refuses a day that does not exist, in English", async () => {
    expect((await failure(lines('convert "2023-02-29" to a date'))).message).toBe('"2023-02-29" is not a date: there is no such day in that month.');
  });
});

describe("format {date}", () => {
  it("writes yyyy-MM-dd by default", async () => {
    expect(await output(lines("format today", "say the above"))).toEqual(["2024-11-05"]);
  });

  it("follows `the format`, with quoted text copied as it is", async () => {
    const source = lines('the day is "2024-11-05"', "format the day", "    the format is \"EEEE d MMMM yyyy 'at' HH:mm, dd/MM/yy, EEE MMM M\"", "say the day");
    expect(await output(source)).toEqual(["Tuesday 5 November 2024 at 00:00, 05/11/24, Tue Nov 11"]);
  });

  it("shows the time of `now`", async () => {
    expect(await output(lines("format now", '    the format is "HH:mm:ss"', "say the above"))).toEqual(["09:30:00"]);
  });

  it("refuses a value that is not a date, in English", async () => {
    expect((await failure(lines('format "not a date"'))).message).toBe('"not a date" is not a date: I read dates written as yyyy-MM-dd.');
  });
});

describe("wait {seconds} seconds", () => {
  it("sleeps through the run context", async () => {
    const { runScript } = await import("../support/run-script.js");
    const outcome = await runScript(lines("wait 1.5 seconds", "say the above"));
    expect(outcome.slept).toEqual([1500]);
    expect(outcome.result?.output).toEqual(["1.5"]);
  });

  it("refuses a negative wait, in English", async () => {
    expect(await failure(lines("wait -1 seconds"))).toEqual({ message: "I can't wait a negative number of seconds.", at: "/scripts/main.prose:1:1" });
  });
});
