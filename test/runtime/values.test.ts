import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

/** What `say <expression>` shows. */
async function shown(...expressions: string[]): Promise<string[]> {
  return output(lines(...expressions.map((expression) => `say ${expression}`)));
}

describe("decimal arithmetic", () => {
  it("adds as a person counts money, without binary noise", async () => {
    expect(await shown("0.1 plus 0.2", "0.1 + 0.2 + 0.3", "1.1 * 1.1", "0.3 - 0.1", "100 * 1.15")).toEqual(["0.3", "0.6", "1.21", "0.2", "115"]);
  });

  it("knows every operator word and sign, with the usual precedence", async () => {
    expect(await shown("2 plus 3 times 4", "(2 plus 3) times 4", "10 minus 4 minus 3", "2 multiplied by 5", "9 divided by 4", "7 - 2 * 3", "8 / 2 / 2", "-3 + 5", "-(2 + 3)")).toEqual(["14", "20", "3", "10", "2.25", "1", "2", "2", "-5"]);
  });

  it("shows at most ten decimals and no trailing zeros", async () => {
    expect(await shown("10 / 3", "2 / 3", "1 / 3 * 3", "1.50", "1.000")).toEqual(["3.3333333333", "0.6666666667", "1", "1.5", "1"]);
  });

  it("computes with facts", async () => {
    expect(await output(lines("the price is 19.99", "the quantity is 3", "say the price times the quantity"))).toEqual(["59.97"]);
  });

  it("reads a comma followed by digits as a thousands separator", async () => {
    expect(await shown("1,200.50 + 1", "1,000,000 / 1,000")).toEqual(["1201.5", "1000"]);
  });

  it("reads texts that hold numbers as numbers in arithmetic", async () => {
    expect(await output(lines('the amount is "1,200"', "say the amount * 2", 'say "3" + "4"'))).toEqual(["2400", "7"]);
  });

  it("joins text with anything else", async () => {
    expect(await output(lines('the number is "INV-7"', 'say "Invoice " + the number', 'say "total: " + 5'))).toEqual(["Invoice INV-7", "total: 5"]);
  });

  it("stores numbers in JSON as numbers", async () => {
    const result = await run(lines("the total is 0.1 + 0.2", "the big is 1,234,567.89"));
    expect(result.facts).toEqual({ total: 0.3, big: 1234567.89 });
  });

  it("reports division by zero with file:line:col and a fix", async () => {
    expect(await failure(lines("the count is 0", "say 10 divided by the count"))).toEqual({
      message: "I can't divide by zero.",
      at: "/scripts/main.prose:2:5",
      fix: "fix: check the divisor before dividing, for example with `if the count is not 0`.",
    });
  });

  it("reports arithmetic on a value that is no number", async () => {
    expect(await failure(lines("the flag is yes", "say the flag * 2"))).toEqual({
      message: 'I can\'t multiply a yes/no and a number: "yes" is not a number.',
      at: "/scripts/main.prose:2:5",
      fix: "fix: check that both sides hold numbers.",
    });
  });

  it("reports making a text negative", async () => {
    expect((await failure(lines('the word is "x"', "say -the word"))).message).toBe('I can\'t make a text negative: "x" is not a number.');
  });
});

describe("currency and percent", () => {
  it("shows amounts with their sign, two decimals and thousands separators", async () => {
    expect(await shown("$120.2", "$1200.5", "€5", "£3", "$1,234,567.891", "-$5", "$0.005")).toEqual(["$120.20", "$1,200.50", "€5.00", "£3.00", "$1,234,567.89", "-$5.00", "$0.01"]);
  });

  it("keeps the unit through arithmetic", async () => {
    expect(await shown("$5 * 3", "3 * $5", "$10 / 4", "$10 + 5", "$10 / $4", "$10 - $12.5")).toEqual(["$15.00", "$15.00", "$2.50", "$15.00", "2.5", "-$2.50"]);
  });

  it("holds a percentage as a fraction and shows it as a percentage", async () => {
    expect(await shown("15%", "15% * 200", "$200 * 15%", "12.5%", "15% + 5%")).toEqual(["15%", "30", "$30.00", "12.5%", "20%"]);
    expect((await run(lines("the rate is 15%"))).facts).toEqual({ rate: 0.15 });
  });

  it("refuses to add two different currencies", async () => {
    expect(await failure(lines("say $5 + €5"))).toEqual({ message: "I can't add $ and € amounts.", at: "/scripts/main.prose:1:5", fix: "fix: convert them to the same unit first." });
  });
});

describe("dates", () => {
  it("reads today, tomorrow, yesterday and now from the run's clock", async () => {
    expect(await shown("today", "tomorrow", "yesterday", "now")).toEqual(["2024-11-05", "2024-11-06", "2024-11-04", "2024-11-05 09:30"]);
  });

  it("moves dates by days and counts days between dates", async () => {
    expect(await shown("today + 30", "today - 5", "tomorrow - yesterday")).toEqual(["2024-12-05", "2024-10-31", "2"]);
  });

  it("computes with ISO texts beside a date", async () => {
    expect(await shown('today - "2024-11-01"', '"2024-12-25" - today')).toEqual(["4", "50"]);
  });

  it("compares ISO texts with dates", async () => {
    const source = lines('the due date is "2024-11-01"', "if the due date is less than today", '    say "late"', 'if today is "2024-11-05"', '    say "today"', 'if "2024-12-01" > today', '    say "later"');
    expect(await output(source)).toEqual(["late", "today", "later"]);
  });

  it("shows dates as ISO text in JSON", async () => {
    expect((await run(lines("the day is tomorrow", "the moment is now"))).facts).toEqual({ day: "2024-11-06", moment: "2024-11-05T09:30:00" });
  });
});

describe("display", () => {
  it("shows yes/no, nothing, lists and records in English", async () => {
    const source = lines("say yes", "say no", "say true", "say nothing", 'the names are "a", "b" and "c"', "say the names", 'the invoice\'s number is "INV-7"', "the invoice's total is $5", "say the invoice");
    expect(await output(source)).toEqual(["yes", "no", "yes", "nothing", "a, b and c", "number: INV-7, total: $5.00"]);
  });

  it("interpolates expressions into text, with escapes and literal braces", async () => {
    const source = lines("the total is 1500", 'say "Total: {the total * 2}, {{braces}}, a \\"quote\\", back\\\\slash"', "say “curly {the total}”");
    expect(await output(source)).toEqual(['Total: 3000, {braces}, a "quote", back\\slash', "curly 1500"]);
  });
});
