import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

/** Three claims, as a script builds them. */
const claims = [
  'the first claim\'s status is "open"',
  "the first claim's total is $1,200",
  'the first claim\'s category is "travel"',
  'the second claim\'s status is "closed"',
  "the second claim's total is $300",
  'the second claim\'s category is "travel"',
  'the third claim\'s status is " Open "',
  "the third claim's total is $50",
  'the third claim\'s category is "meals"',
];

describe("list filters with `whose`", () => {
  it("count, sum and show the items whose attributes meet the condition (compared as `is` compares)", async () => {
    const source = lines(
      ...claims,
      'say the number of claims whose status is "open"',
      'say the sum of the totals of the claims whose category is "travel"',
      "say the totals of the claims whose total is greater than $1,000",
      'say the number of the claims whose status is "open" and total is less than $100',
      'say the number of claims whose status is "closed" or category is "meals"',
      'say the number of claims whose category is in ("travel", "lodging")',
    );
    expect(await output(source)).toEqual(["2", "$1,500.00", "$1,200.00", "1", "2", "2"]);
  });

  it("the filter's condition ends before the line's own comparison", async () => {
    const source = lines(...claims, 'if the number of claims whose status is "open" is greater than 1', '    say "several open"', 'if the claims whose status is "pending" is empty', '    say "none pending"');
    expect(await output(source)).toEqual(["several open", "none pending"]);
  });

  it("a loop over a filtered list sees the items themselves: a change shows in the list", async () => {
    const source = lines(...claims, 'process each claim in the claims whose status is "open" as follows', '    say the claim\'s total', '    the claim\'s status is "reviewed"', 'say the claims\' statuses');
    expect(await output(source)).toEqual(["$1,200.00", "$50.00", "reviewed, closed and reviewed"]);
  });

  it("a filtered list can be named, said, and filtered again", async () => {
    const source = lines(...claims, "the travel claims are the claims whose category is \"travel\"", "say the number of travel claims", 'say the totals of the travel claims whose status is "closed"');
    expect(await output(source)).toEqual(["2", "$300.00"]);
  });

  it("an item without the attribute has nothing there: it is left out, never asked about", async () => {
    const source = lines(...claims, 'the fourth claim\'s category is "travel"', 'say the number of claims whose status is "open"', "say the number of claims whose status does not exist", 'say the totals of the claims whose category is "travel"');
    const result = await run(source);
    expect(result.status).toBe("done");
    expect(result.output).toEqual(["2", "1", "$1,200.00, $300.00 and nothing"]);
  });

  it("an empty result counts 0 and sums to 0; filtering nothing gives an empty list", async () => {
    expect(await output(lines(...claims, 'say the sum of the totals of the claims whose category is "none"', "the none are nothing", 'say the number of none whose status is "x"'))).toEqual(["0", "0"]);
  });

  it("documents are filtered by their own attributes", async () => {
    const files = { "a.pdf": "alpha", "b.txt": "beta", "c.PDF": "gamma" };
    const source = lines('read the file "a.pdf" as the first document', 'read the file "b.txt" as the second document', 'read the file "c.PDF" as the third document', 'say the number of documents whose extension is "pdf"');
    expect(await output(source, { files })).toEqual(["2"]);
  });

  it("filtering a value that is not a list, or items without attributes, is an English error with the fix", async () => {
    expect(await failure(lines("the total is 5", 'say the total whose status is "open"'))).toEqual({
      message: '`whose` picks items of a list, but this is a number ("5").',
      at: "/scripts/main.prose:2:5",
      fix: 'fix: filter a plural name that holds a list of records, as in `the claims whose status is "open"`.',
    });
    expect(await failure(lines('the codes are "a", "b"', 'say the codes whose status is "open"'))).toEqual({
      message: '`whose status` reads each item\'s status, but the item "a" is a text with no attributes.',
      at: "/scripts/main.prose:2:21",
      fix: "fix: filter a list of records (items with attributes, such as `the claims`), or compare the items themselves in a loop.",
    });
  });

  it("costs one test per item: a filter over 50,000 items runs", async () => {
    const source = lines("the numbers are nothing", "the counter is 0", "repeat 50000 times", "    add 1 to the counter", "    the entry's n is the counter", "    add the entry to the numbers", "say the number of numbers whose n is at most 25000");
    expect(await output(source)).toEqual(["25000"]);
  });
});
