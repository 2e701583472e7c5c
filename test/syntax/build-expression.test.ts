import { describe, expect, it } from "vitest";
import { buildOne } from "../support/ast-shape.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import type { Expression } from "../../src/syntax/ast.js";

/** The expression `ExpressionBuilder` builds for the value of `say …`, in prefix form. */
function value(text: string): string {
  return (buildOne(`say ${text}`) as { say: string }).say;
}

/** The built expression itself, for the parts the prefix form leaves out. */
function expression(text: string): Expression {
  const statement = parseScript(`say ${text}\n`, "script.prose").script.statements[0];
  if (statement?.kind !== "say") throw new Error(`say ${text} did not build a say statement`);
  return statement.value;
}

describe("ExpressionBuilder", () => {
  it("literals: texts with values inside, numbers with currency and percent, yes/no, nothing, dates", () => {
    expect(value('"Dear {the name},"')).toBe('"Dear {the name},"');
    expect(expression("$1,200.50")).toMatchObject({ kind: "number", digits: "1200.50", currency: "$", percent: false });
    expect(value("15%")).toBe("15%");
    expect(value("true")).toBe("true");
    expect(value("nothing")).toBe("nothing");
    expect(value("today")).toBe("today");
  });

  it("references: words, ordinals and possessives; `the above`", () => {
    expect(expression("the first vendor's address's city")).toMatchObject({
      kind: "reference",
      reference: { text: "the first vendor's address's city", segments: [{ name: "first vendor", ordinal: { index: 1, noun: "vendor" } }, { name: "address" }, { name: "city" }] },
    });
    expect(value("the above")).toBe("the above");
  });

  it("arithmetic folds to the left, products before sums, `-` before a value negates", () => {
    expect(value("1 + 2 * 3")).toBe("(+ 1 (* 2 3))");
    expect(value("10 - 2 - 3")).toBe("(- (- 10 2) 3)");
    expect(value("the price multiplied by 2 divided by 4")).toBe("(/ (* the price 2) 4)");
    expect(value("-the total")).toBe("(- the total)");
  });

  it("comparisons in words and signs, negated with `not`", () => {
    expect(value("the total is more than 5")).toBe("(greater the total 5)");
    expect(value("the total is not at most 5")).toBe("(not at most the total 5)");
    expect(value("the total >= 5")).toBe("(at least the total 5)");
    expect(value("the total != 5")).toBe("(not equal the total 5)");
    expect(value('the code is started by "SAVE"')).toBe('(starts with the code "SAVE")');
    expect(value('the name does not contain "x"')).toBe('(not contains the name "x")');
  });

  it("tests: empty and exists", () => {
    expect(value("the list is empty")).toBe("(empty the list)");
    expect(value("the file does not exist")).toBe("(not exists the file)");
  });

  it("logic: `and` binds tighter than `or`; `not` and parentheses", () => {
    expect(value("the a or the b and the c")).toBe("(or the a (and the b the c))");
    expect(value("not the a and the b")).toBe("(and (not the a) the b)");
    expect(value("(the a or the b) and the c")).toBe("(and (or the a the b) the c)");
  });

  it("aggregates and lists in parentheses, where a final `and` joins items", () => {
    expect(value("the number of vendors")).toBe("(number of vendors)");
    expect(value("the sum of the totals")).toBe("(sum of the totals)");
    expect(value('("ann", "bob" and "cy")')).toBe('["ann", "bob", "cy"]');
  });
});
