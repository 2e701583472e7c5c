import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run } from "../support/run-script.js";

describe("split {text} into parts", () => {
  it("splits at runs of spaces by default and trims", async () => {
    expect(await output(lines('split "  alpha   beta gamma " into parts', "say the number of parts", "say the parts"))).toEqual(["3", "alpha, beta and gamma"]);
  });

  it("splits at `the delimiter`, keeping empty parts", async () => {
    const result = await run(lines('split "a,b,,c" into parts', '    the delimiter is ","'));
    expect(result.facts.parts).toEqual(["a", "b", "", "c"]);
  });

  it("names its result with `as the …`", async () => {
    const result = await run(lines('split "a b" into parts as the words'));
    expect(result.facts).toEqual({ words: ["a", "b"] });
  });

  it("refuses a list, in English", async () => {
    expect(await failure(lines('the names are "a b", "c"', "split the names into parts"))).toEqual({
      message: 'I expected a text here, but got a list ("a b and c").',
      at: "/scripts/main.prose:2:1",
      fix: "fix: pick one item, as in `the first …`, or `join` the list first.",
    });
  });
});

describe("join {list}", () => {
  it("joins with a space by default", async () => {
    expect(await output(lines('join "a", "b" and "c"', "say the text"))).toEqual(["a b c"]);
  });

  it("joins with `the separator`", async () => {
    expect(await output(lines('the parts are "x", "y"', "join the parts", '    the separator is " - "', "say the text"))).toEqual(["x - y"]);
  });

  it("refuses a text, in English", async () => {
    expect(await failure(lines('the word is "abc"', "join the word"))).toEqual({
      message: 'I expected a list here, but got a text ("abc").',
      at: "/scripts/main.prose:2:1",
      fix: 'fix: give a list, such as `the names` or "a", "b" and "c".',
    });
  });
});

describe("make {text} uppercase / lowercase", () => {
  it("changes a named fact in place", async () => {
    expect(await output(lines('the title is "Hello World"', "make the title uppercase", "say the title", "make the title lowercase", "say the title"))).toEqual(["HELLO WORLD", "hello world"]);
  });

  it("leaves a literal's result in `the above`", async () => {
    expect(await output(lines('make "abc" uppercase', "say the above"))).toEqual(["ABC"]);
  });

  it("stores the result under `as the …` and leaves the fact alone", async () => {
    const result = await run(lines('the title is "abc"', "make the title uppercase as the shout"));
    expect(result.facts).toEqual({ title: "abc", shout: "ABC" });
  });

  it("refuses a list, in English", async () => {
    expect((await failure(lines('the names are "a", "b"', "make the names uppercase"))).message).toBe('I expected a text here, but got a list ("a and b").');
  });
});

describe("replace {old} with {new} in {text}", () => {
  it("replaces every occurrence, in place", async () => {
    expect(await output(lines('the code is "a-b-c"', 'replace "-" with " " in the code', "say the code"))).toEqual(["a b c"]);
  });

  it("refuses a list, in English", async () => {
    expect((await failure(lines('the codes are "a-b", "c"', 'replace "-" with "" in the codes'))).message).toBe('I expected a text here, but got a list ("a-b and c").');
  });
});

describe("convert {value} to text", () => {
  it("shows a value as `say` would", async () => {
    const result = await run(lines("the amount is $1200.5", "convert the amount to text", "the list is 1, 2, 3", "convert the list to text"));
    expect(result.facts).toEqual({ amount: "$1,200.50", list: "1, 2 and 3" });
  });
});

describe("parse {text} as json", () => {
  it("reads objects as records with lower-case attribute names, arrays as lists", async () => {
    const source = lines(
      'parse "{{\\"Total\\": 5, \\"items\\": [1, 2], \\"due_date\\": \\"2024-12-01\\", \\"paid\\": true, \\"note\\": null}}" as json',
      "say the json's total",
      "say the json's due date",
      "say the sum of the json's items",
      "say the json's paid",
      "say the json's note",
    );
    expect(await output(source)).toEqual(["5", "2024-12-01", "3", "yes", "nothing"]);
  });

  it("refuses text that is not JSON, in English", async () => {
    const problem = await failure(lines('parse "{{nope" as json'));
    expect(problem.message).toMatch(/^This text is not valid JSON: .+\.$/);
    expect(problem.at).toBe("/scripts/main.prose:1:1");
    expect(problem.fix).toBe("fix: check the text, or print it with `say` to see what it holds.");
  });
});
