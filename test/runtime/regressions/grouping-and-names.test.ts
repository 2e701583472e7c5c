import { describe, expect, it } from "vitest";
import { lines, runSource } from "../../support/run-source.js";

describe("parentheses, aggregates of literals, possessive result names", () => {
  it("parentheses group conditions with or/and, and hold lists when they have commas", async () => {
    const result = await runSource(
      lines(
        "the total is 1500",
        "if (the total is 1 or the total is 1500) and yes",
        '    say "grouped"',
        "if not (the total is 1 or the total is 2)",
        '    say "negated"',
        'for each name in ("ann", "bob" and "cy")',
        "    say the name",
        "say (2 + 3) * 4",
      ),
    );
    expect(result.output).toEqual(["grouped", "negated", "ann", "bob", "cy", "20"]);
  });

  it("aggregates take a text literal and a parenthesized list", async () => {
    const result = await runSource(lines('say the length of "hello"', "say the sum of (1, 2, 3)", 'say the number of ("a", "b")'));
    expect(result.output).toEqual(["5", "6", "2"]);
  });

  it("`as the …` takes a possessive name", async () => {
    const result = await runSource(lines('split "a b" into parts as the invoice\'s words', "say the invoice's words", "if the parts exists", '    say "the default result name was set too"'));
    expect(result.output).toEqual(["a and b"]);
  });
});
