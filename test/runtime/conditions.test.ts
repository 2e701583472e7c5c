import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output } from "../support/run-script.js";

const facts = [
  "the total is 1500",
  'the vendor is "  Acme Corp "',
  "the codes are \"SAVE20\", \"SALE2024\" and \"JUST4U\"",
  'the blank is "  "',
  "the empty list are nothing",
  "the due date is \"2024-11-01\"",
];

/** Whether each condition holds, as `if` sees it. */
async function holds(...conditions: string[]): Promise<boolean[]> {
  const source = lines(...facts, ...conditions.flatMap((condition, index) => [`if ${condition}`, `    say "${index}"`]));
  const said = new Set(await output(source));
  return conditions.map((_, index) => said.has(String(index)));
}

describe("every condition form", () => {
  it("is / is not / = / !=, ignoring case and surrounding space for text", async () => {
    expect(await holds('the vendor is "acme corp"', 'the vendor is not "Acme"', 'the vendor = "ACME CORP"', 'the vendor != "acme corp"', "the total is 1500", 'the total is "1,500"', "the total is not 1500")).toEqual([true, true, true, false, true, true, false]);
  });

  it("greater than / more than / less than / at least / at most and their signs", async () => {
    expect(await holds("the total is greater than 1000", "the total is more than 1500", "the total is less than 2000", "the total is at least 1500", "the total is at most 1499", "the total > 1499", "the total >= 1500", "the total < 1500", "the total <= 1500")).toEqual([true, false, true, true, false, true, true, false, true]);
  });

  it("negated orderings", async () => {
    expect(await holds("the total is not greater than 2000", "the total is not less than 1500", "the total is not at least 2000", "the total is not at most 1000")).toEqual([true, true, true, true]);
  });

  it("contains / does not contain, on text (ignoring case) and on lists", async () => {
    expect(await holds('the vendor contains "corp"', 'the vendor does not contain "zeta"', 'the codes contains "sale2024"', 'the codes does not contain "SAVE"')).toEqual([true, true, true, true]);
  });

  it("starts with / is started by / ends with / is ended by", async () => {
    expect(await holds('the vendor starts with "acme"', 'the vendor is started by "ACME"', 'the vendor ends with "corp"', 'the vendor is ended by "Corp"', 'the vendor starts with "corp"', 'the vendor is not started by "x"')).toEqual([true, true, true, true, false, true]);
  });

  it("is empty / is not empty", async () => {
    expect(await holds("the blank is empty", "the empty list is empty", "the codes is not empty", "nothing is empty", "the total is empty")).toEqual([true, true, true, true, false]);
  });

  it("exists / does not exist, without asking", async () => {
    expect(await holds("the total exists", "the missing fact does not exist", "the missing fact exists", "the customer's email exists")).toEqual([true, true, false, false]);
  });

  it("and / or / not / parentheses, and yes / no", async () => {
    expect(await holds("the total is 1500 and the vendor contains \"acme\"", "the total is 1 or yes", "not (the total is 1)", "not yes or no", "(the total is 1500) and not no", "no and the missing fact is 1", "yes or the missing fact is 1")).toEqual([true, true, true, false, true, false, true]);
  });

  it("dates against ISO texts", async () => {
    expect(await holds("the due date is today", "the due date is less than today", "the due date is at most \"2024-11-01\"", "today is greater than the due date")).toEqual([false, true, true, true]);
  });

  it("nothing counts as no", async () => {
    expect(await holds("nothing", "not nothing")).toEqual([false, true]);
  });

  it("runs the first matching branch of if / otherwise if / otherwise, and accepts else", async () => {
    const script = (total: number) =>
      lines(`the total is ${total}`, "if the total is greater than 1000 then", '    say "needs approval"', "otherwise if the total is 0", '    say "empty"', "else", '    say "auto-approved"');
    expect(await output(script(1500))).toEqual(["needs approval"]);
    expect(await output(script(0))).toEqual(["empty"]);
    expect(await output(script(5))).toEqual(["auto-approved"]);
    expect(await output(lines("if no:", '    say "a"', "else if yes:", '    say "b"'))).toEqual(["b"]);
  });

  it("reports a condition that is not yes or no", async () => {
    expect(await failure(lines("the total is 5", "if the total", '    say "x"'))).toEqual({
      message: 'This condition is a number ("5"), not yes or no.',
      at: "/scripts/main.prose:2:4",
      fix: "fix: compare it with something, as in `if the total is greater than 0`.",
    });
  });

  it("reports comparing values of different kinds", async () => {
    expect(await failure(lines('if "abc" is greater than 5', '    say "x"'))).toEqual({
      message: 'I can\'t compare a text ("abc") with a number ("5").',
      at: "/scripts/main.prose:1:4",
      fix: "fix: compare numbers with numbers, dates with dates, or texts with texts.",
    });
  });
});

describe("aggregates", () => {
  const totals = 'the totals are 10, 20.5 and 30';

  it("number, sum, average, maximum, minimum and length of a plural name, with or without its article", async () => {
    const source = lines(totals, "say the number of totals", "say the sum of the totals", "say the average of totals", "say the maximum of the totals", "say the minimum of totals", "say the length of the totals");
    expect(await output(source)).toEqual(["3", "60.5", "20.1666666667", "30", "10", "3"]);
  });

  it("of a list in parentheses", async () => {
    expect(await output(lines("say the sum of (1, 2 and 3)", "say the maximum of (\"b\", \"a\")"))).toEqual(["6", "b"]);
  });

  it("the length of a text counts its characters", async () => {
    expect(await output(lines('the word is "héllo"', "say the length of the word"))).toEqual(["5"]);
  });

  it("keeps the unit of amounts", async () => {
    expect(await output(lines("the prices are $1.10, $2.20", "say the sum of the prices", "say the average of the prices"))).toEqual(["$3.30", "$1.65"]);
  });

  it("the number and sum of an empty list are 0", async () => {
    expect(await output(lines("the items are nothing", "say the number of items", "say the sum of the items"))).toEqual(["0", "0"]);
  });

  it("reports the average of an empty list", async () => {
    expect(await failure(lines("the items are nothing", "say the average of the items"))).toEqual({
      message: "I can't take the average of an empty list.",
      at: "/scripts/main.prose:2:5",
      fix: "fix: check `if the number of … is greater than 0` first.",
    });
  });

  it("reports the sum of a list that holds a text", async () => {
    expect((await failure(lines('the items are 1, "x"', "say the sum of the items"))).message).toBe('I can\'t take the sum of a list that holds a text ("x").');
  });

  it("reports an aggregate of a value that is not a list", async () => {
    expect((await failure(lines("the total is 5", "say the average of the total"))).message).toBe('"the average of …" needs a list, but this is a number ("5").');
  });
});
