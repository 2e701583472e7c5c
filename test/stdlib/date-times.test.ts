import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output } from "../support/run-script.js";

describe("add and subtract weeks, months, years, hours and minutes", () => {
  it("clamps months to the month's last day, leap years included", async () => {
    const source = lines('the due date is "2026-01-31"', "add 1 month to the due date", "say the due date", 'the leap is "2024-01-31"', "add 1 month to the leap", "say the leap", 'the end is "2024-02-29"', "add 1 year to the end", "say the end");
    expect(await output(source)).toEqual(["2026-02-28", "2024-02-29", "2025-02-28"]);
  });

  it("moves by weeks, months and years, forwards and back", async () => {
    const source = lines(
      'the start is "2026-05-12"',
      "add 2 weeks to the start",
      "say the start",
      "subtract 3 days from the start",
      "say the start",
      "subtract 14 months from the start",
      "say the start",
      "add 10 years to the start",
      "say the start",
      "subtract 1 week from the start",
      "say the start",
    );
    expect(await output(source)).toEqual(["2026-05-26", "2026-05-23", "2025-03-23", "2035-03-23", "2035-03-16"]);
  });

  it("moves a time by hours and minutes, across midnight", async () => {
    const source = lines('the meeting is "2026-05-12 22:30"', "add 2 hours to the meeting", "say the meeting", "subtract 45 minutes from the meeting", "say the meeting", 'add 90 minutes to "2026-05-12"', "say the above");
    expect(await output(source)).toEqual(["2026-05-13 00:30", "2026-05-12 23:45", "2026-05-12 01:30"]);
  });

  it("follows a time zone's clock change when the time has a zone", async () => {
    const source = lines('convert "2026-03-29 01:30" to a date', '    the time zone is "Europe/Paris"', "add 1 hour to the above", "format the above", '    the format is "HH:mm"', "say the above");
    expect(await output(source)).toEqual(["03:30"]);
  });

  it("keeps `add 2 to the count` an addition, and a list's append", async () => {
    expect(await output(lines("the count is 5", "add 2 to the count", "say the count", 'the weeks are "a"', 'add "b" to the weeks', "say the weeks"))).toEqual(["7", "a and b"]);
  });

  it("refuses to move past the years 1 to 9999, in English", async () => {
    for (const line of ['add 9000000000 hours to "2026-01-01"', 'add 5000000 weeks to "2026-01-01"', 'subtract 2027 years from "2026-01-01"', 'add 800000 years to "2026-01-01"']) {
      expect((await failure(lines(line))).message).toMatch(/^Moving 2026-01-01 by -?\d+ (hours|weeks|years) goes past the years I can count \(1 to 9999\)\.$/);
    }
  });

  it("refuses part of a month, and a value that is not a date", async () => {
    expect((await failure(lines('add 1.5 months to "2026-01-31"'))).message).toBe("I can only add whole months, not 1.5.");
    expect((await failure(lines('subtract 2 days from "2026-02-30"'))).message).toBe('"2026-02-30" is not a date: there is no such day in that month.');
  });
});

describe("get the current time", () => {
  it("reads the run's clock, with its time", async () => {
    expect(await output(lines("get the current time", "format the current time", '    the format is "yyyy-MM-dd HH:mm"', "say the above"))).toEqual(["2024-11-05 09:30"]);
  });

  it("reads it in a time zone", async () => {
    const now = new Date(Date.UTC(2026, 6, 1, 12, 0, 0));
    const source = lines("get the current time", '    the time zone is "Asia/Tokyo"', "say the current time");
    expect(await output(source, { now })).toEqual(["2026-07-01 21:00"]);
  });

  it("refuses an unknown time zone, in English", async () => {
    expect(await failure(lines("get the current time", '    the time zone is "Europe/Pariss"'))).toEqual({
      message: 'I don\'t know the time zone "Europe/Pariss".',
      at: "/scripts/main.prose:1:1",
      fix: 'fix: use a time zone name from the IANA list, such as "Europe/Paris", "America/New_York", "Asia/Tokyo" or "UTC".',
    });
  });
});

describe("the number of days between {a} and {b}", () => {
  it("counts whole days from a to b, negative when b is earlier", async () => {
    const source = lines('the start is "2026-01-31"', 'the end is "2026-03-01"', "say the number of days between the start and the end", "say the number of days between the end and the start", 'the leap day is "2024-02-28"', 'say "{the number of days between the leap day and the leap day + 2} days"');
    expect(await output(source)).toEqual(["29", "-29", "2 days"]);
  });

  it("works in a condition, with today", async () => {
    const source = lines('the due date is "2024-11-09"', "if the number of days between today and the due date is less than 7:", '    say "due soon"', "otherwise:", '    say "later"');
    expect(await output(source)).toEqual(["due soon"]);
  });

  it("still counts a list with `the number of`", async () => {
    expect(await output(lines('the days are "mon" and "tue"', "say the number of days"))).toEqual(["2"]);
  });

  it("refuses a value that is not a date, naming it", async () => {
    expect((await failure(lines('say the number of days between "2026-01-01" and "soon"'))).message).toBe('I can\'t count the days between "2026-01-01" and "soon": "soon" is not a date.');
  });
});

describe("convert {value} to a date with a format", () => {
  it("reads the format given", async () => {
    const source = lines('the day is "05/12/2026"', "convert the day to a date", '    the format is "MM/dd/yyyy"', "say the day", "say the day's weekday");
    expect(await output(source)).toEqual(["2026-05-12", "Tuesday"]);
  });

  it("reads a time in a time zone, shown in another", async () => {
    const source = lines(
      'the meeting is "10/03/2026 09:00"',
      "convert the meeting to a date",
      '    the format is "dd/MM/yyyy HH:mm"',
      '    the time zone is "Europe/Paris"',
      "format the meeting",
      '    the format is "yyyy-MM-dd HH:mm"',
      '    the time zone is "America/New_York"',
      "say the meeting",
    );
    expect(await output(source)).toEqual(["2026-03-10 04:00"]);
  });

  it("leaves a date as it is, and names a value that is not a text", async () => {
    expect(await output(lines("the start is today", "convert the start to a date", '    the format is "MM/dd/yyyy"', "say the start"))).toEqual(["2024-11-05"]);
    expect((await failure(lines("convert 42 to a date"))).message).toBe("I can't read a number (42) as a date.");
  });

  it("names the value and the format when the date does not exist", async () => {
    expect(await failure(lines('convert "13/45/2026" to a date', '    the format is "MM/dd/yyyy"'))).toEqual({
      message: '"13/45/2026" is not a date in the format "MM/dd/yyyy": there is no such day or time.',
      at: "/scripts/main.prose:1:1",
      fix: 'fix: write the date as "MM/dd/yyyy" says (for example "05/12/2026"), or change `the format is …` to match how the dates are written.',
    });
    expect((await failure(lines('convert "May 5th" to a date', '    the format is "MM/dd/yyyy"'))).message).toBe('"May 5th" is not a date in the format "MM/dd/yyyy": it does not have that shape.');
    expect((await failure(lines('convert "2026-02-30" to a date'))).message).toBe('"2026-02-30" is not a date: there is no such day in that month.');
    expect((await failure(lines('convert "2026-13-01" to a date'))).message).toBe('"2026-13-01" is not a date: there is no month 13.');
  });
});

describe("a date's weekday, day, month, month name and year", () => {
  it("reads them as possessives", async () => {
    const source = lines('the due date is "2026-02-28"', "convert the due date to a date", "say the due date's weekday", "say the due date's day", "say the due date's month", "say the due date's month name", "say the due date's year", "if the due date's month is 2:", '    say "February"');
    expect(await output(source)).toEqual(["Saturday", "28", "2", "February", "2026", "February"]);
  });

  it("reads them on a text that is an ISO date, and not on other texts", async () => {
    expect(await output(lines('the paid date is "2026-03-02"', "say the paid date's weekday"))).toEqual(["Monday"]);
    expect((await failure(lines('the title is "Report"', "say the title's year"))).message).toBe('the title is a text ("Report") with no attributes, so it has no "year".');
  });

  it("says why a text written as a date is none", async () => {
    expect((await failure(lines('the day is "2026-02-30"', "say the day's weekday"))).message).toBe('the day is "2026-02-30", which is not a date: there is no such day in that month, so it has no weekday.');
    expect((await failure(lines('the day is "2026-02-30"', "say the day + 1"))).message).toBe('"2026-02-30" is not a date: there is no such day in that month.');
  });

  it("leaves other names to the usual error", async () => {
    expect((await failure(lines("the due date is today", "say the due date's colour"))).message).toContain('has no "colour"');
  });
});
