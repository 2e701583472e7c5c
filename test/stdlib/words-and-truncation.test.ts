import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

describe("split {text}", () => {
  it("splits a text into its words, as the parts", async () => {
    const result = await run(lines('the title is "  Quarterly   report\\tfor  Acme "', "split the title", "say the number of parts", "say the first part", "say the last part"));
    expect(result.output).toEqual(["4", "Quarterly", "Acme"]);
  });

  it("splits at the block's delimiter, and keeps `split … into parts`", async () => {
    expect(await output(lines('split "a;b;;c"', '    the delimiter is ";"', "say the parts", 'split "x y" into parts', "say the parts"))).toEqual(["a, b,  and c", "x and y"]);
  });
});

describe("count the words in {text}", () => {
  it("counts words, not dashes or spaces, as the word count", async () => {
    const result = await run(lines('the note is "Paid in full — thanks,  see you in 2026!"', "count the words in the note", "say the word count"));
    expect(result.output).toEqual(["8"]);
    expect(result.facts["word count"]).toBe(8);
  });

  it("counts no words in an empty text", async () => {
    expect(await output(lines('count the words in ""', "say the word count"))).toEqual(["0"]);
  });
});

describe("truncate {number}", () => {
  it("cuts toward zero, to the decimals given", async () => {
    const source = lines("the price is 2.79", "truncate the price", "say the price", "the loss is -2.79", "truncate the loss", "say the loss", "the rate is 3.14159", "truncate the rate", "    the decimals are 2", "say the rate", "the amount is $19.999", "truncate the amount", "    the decimals are 2", "say the amount");
    expect(await output(source)).toEqual(["2", "-2", "3.14", "$19.99"]);
  });

  it("keeps percentages in their own places", async () => {
    expect(await output(lines("the share is 12.789%", "truncate the share", "    the decimals are 1", "say the share"))).toEqual(["12.7%"]);
  });

  it("refuses a text that is not a number, in English", async () => {
    expect((await failure(lines('truncate "abc"'))).message).toContain('"abc"');
  });
});
