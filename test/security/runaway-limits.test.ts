import { describe, expect, it } from "vitest";
import { checkSource, lines, runScript } from "../support/run-script.js";

/**
 * Finding 9, "Runaway scripts": deep nesting is a diagnostic that names the limit, long flat
 * constructs simply work, and a text that grows without end is an English runtime error.
 * None of them may end in "Prose hit an internal error".
 */

const FILE = "/scripts/runaway.prose";

function nestedParentheses(depth: number): string {
  return `the x is ${"(".repeat(depth)}1${")".repeat(depth)}`;
}

function nestedBlocks(depth: number): string {
  const source: string[] = [];
  for (let level = 0; level < depth; level++) source.push(`${"  ".repeat(level)}if 1 is 1`);
  source.push(`${"  ".repeat(depth)}say "deep"`);
  return lines(...source);
}

describe("nesting beyond the limits is a diagnostic that names the limit", () => {
  it("160 nested parentheses: the 101st is reported at its place, with a fix", () => {
    const outcome = checkSource(lines(nestedParentheses(160), "say the x"), { file: FILE });
    const messages = outcome.formatted.join("\n");
    expect(messages).toContain(`${FILE}:1:${"the x is ".length + 101}: error: This expression nests 101 parentheses deep; Prose allows 100`);
    expect(messages).toContain("split it into named facts");
    expect(outcome.diagnostics).toHaveLength(1);
  });

  it("100 nested parentheses are allowed and run", async () => {
    const outcome = await runScript(lines(nestedParentheses(100), "say the x"), { file: FILE });
    expect(outcome.formatted).toEqual([]);
    expect(outcome.result?.output).toEqual(["1"]);
  });

  it("a long run of `-` or `not` before a value counts as nesting too", () => {
    const minus = checkSource(lines(`the x is ${"- ".repeat(5000)}1`), { file: FILE });
    expect(minus.formatted.join("\n")).toMatch(/nests 101 .*deep; Prose allows 100/);
    const not = checkSource(lines(`if ${"not ".repeat(5000)}yes`, '  say "x"'), { file: FILE });
    expect(not.formatted.join("\n")).toMatch(/nests 101 .*deep; Prose allows 100/);
  });

  it("deep parentheses inside a text's {…} and in a call's argument are reported too", () => {
    const inText = checkSource(lines(`say "value: {${"(".repeat(500)}1${")".repeat(500)}}"`), { file: FILE });
    expect(inText.formatted.join("\n")).toMatch(/nests 101 parentheses deep; Prose allows 100/);
    const inCall = checkSource(lines("the names are nothing", `add ${"(".repeat(500)}1${")".repeat(500)} to the names`), { file: FILE });
    expect(inCall.formatted.join("\n")).toMatch(/nests 101 parentheses deep; Prose allows 100/);
  });

  it("3,000 nested blocks: the 101st block is reported at its first line", () => {
    const outcome = checkSource(nestedBlocks(3000), { file: FILE });
    const messages = outcome.formatted.join("\n");
    expect(messages).toContain(`${FILE}:102:203: error: This block is nested 101 deep; Prose allows 100`);
    expect(outcome.diagnostics).toHaveLength(1);
  });

  it("100 nested blocks are allowed and run", async () => {
    const outcome = await runScript(nestedBlocks(100), { file: FILE });
    expect(outcome.formatted).toEqual([]);
    expect(outcome.result?.output).toEqual(["deep"]);
  });
});

describe("long flat constructs are not limited: they simply work", () => {
  it("a 70,000-item list literal", async () => {
    const items = Array.from({ length: 70_000 }, (_, index) => String(index)).join(", ");
    const outcome = await runScript(lines(`the items are ${items}`, "say the number of items", "say the last item"), { file: FILE });
    expect(outcome.formatted).toEqual([]);
    expect(outcome.result?.output).toEqual(["70000", "69999"]);
  });

  it("a line of 30,000 `+` terms", async () => {
    const outcome = await runScript(lines(`the x is ${Array.from({ length: 30_000 }, () => "1").join(" + ")}`, "say the x"), { file: FILE });
    expect(outcome.formatted).toEqual([]);
    expect(outcome.result?.output).toEqual(["30000"]);
  });

  it("a condition of 30,000 `and`s and `or`s, also as a check that is shown", async () => {
    const chain = Array.from({ length: 30_000 }, (_, index) => (index % 2 === 0 ? "1 is 1" : "2 is 2")).join(" and ");
    const outcome = await runScript(lines(`if ${chain} or 1 is 2`, '  say "yes"', `ensure ${chain}`, 'say "checked"'), { file: FILE });
    expect(outcome.formatted).toEqual([]);
    expect(outcome.result?.output).toEqual(["yes", "checked"]);
  });

  it("a list in parentheses of 70,000 items joined by `and`", async () => {
    const items = Array.from({ length: 70_000 }, (_, index) => `"${index}"`).join(" and ");
    const outcome = await runScript(lines(`the items are ("first", ${items})`, "say the number of items"), { file: FILE });
    expect(outcome.formatted).toEqual([]);
    expect(outcome.result?.output).toEqual(["70001"]);
  });
});

describe("a text that grows past its limit is an English runtime error at its statement", () => {
  it("doubling a text in a loop", async () => {
    const outcome = await runScript(lines('the t is "ab"', "repeat 40 times", "  the t is the t + the t", "say the length of the t"), { file: FILE });
    expect(outcome.formatted).toEqual([]);
    expect(outcome.result?.status).toBe("failed");
    expect(outcome.result?.error?.at).toBe(`${FILE}:3:3`);
    expect(outcome.result?.error?.message).toMatch(/^This text would be [\d,]+ characters long; Prose allows texts up to 100,000,000 characters\.$/);
    expect(outcome.result?.error?.message).not.toContain("internal error");
  });

  it("doubling through a text's {…}", async () => {
    const outcome = await runScript(lines('the t is "ab"', "repeat 40 times", '  the t is "{the t}{the t}"'), { file: FILE });
    expect(outcome.result?.error?.at).toBe(`${FILE}:3:3`);
    expect(outcome.result?.error?.message).toMatch(/Prose allows texts up to 100,000,000 characters/);
  });
});

describe("values that would grow past their limits are English runtime errors at their statement", () => {
  it("a list that holds itself twice, doubling in a loop", async () => {
    const outcome = await runScript(lines("the items are 1, 2", "repeat 100 times", "  the items are the items, the items", "say the number of items"), { file: FILE });
    expect(outcome.result?.status).toBe("failed");
    expect(outcome.result?.error?.at).toBe(`${FILE}:3:3`);
    expect(outcome.result?.error?.message).toMatch(/^This list would hold [\d,]+ items, counting those of the lists within it; Prose allows 10,000,000\.$/);
  });

  it("a list made of itself and one more item, nesting one level deeper each round", async () => {
    const outcome = await runScript(lines("the items are 1, 2", "repeat 5000 times", "  the items are the items, 1", "say the number of items"), { file: FILE });
    expect(outcome.result?.error?.at).toBe(`${FILE}:3:3`);
    expect(outcome.result?.error?.message).toBe("This list would hold lists nested 1,001 deep; Prose allows 1,000.");
  });

  it("a record that holds itself: showing it is an English error, and the run's facts still show", async () => {
    const outcome = await runScript(lines('the node\'s name is "a"', "the node's next is the node", 'say "built"', "say the node"), { file: FILE });
    expect(outcome.result?.output).toEqual(["built"]);
    expect(outcome.result?.error?.at).toBe(`${FILE}:4:1`);
    expect(outcome.result?.error?.message).toMatch(/nested more than 1,000 deep \(or a record that holds itself\)/);
    expect(outcome.result?.facts.node).toEqual({ name: "a", next: "[this record holds itself]" });
  });
});

describe("checking costs time in proportion to the script", () => {
  it("a call that could be split into its inputs in too many ways is a diagnostic, not minutes of trying", () => {
    const call = `combine ${Array.from({ length: 400 }, () => "1").join(" and ")} and )`;
    const outcome = checkSource(lines("to combine a x and a y and a z", '  say "c"', call), { file: FILE });
    expect(outcome.formatted.join("\n")).toContain(`${FILE}:3:1: error: This line can be split into a procedure's inputs in too many ways for Prose to try them all.`);
  });

  it("a call with many `and`s that reads one way is matched", async () => {
    const call = `combine ${Array.from({ length: 400 }, () => "1").join(" and ")}`;
    const outcome = await runScript(lines("to combine a x and a y and a z", '  say "{the x}/{the y}/{the number of z}"', call), { file: FILE });
    expect(outcome.result?.output).toEqual(["1/1/398"]);
  });

  it("50,000 procedures are defined, and one defined twice is still reported", () => {
    const source: string[] = [];
    for (let index = 0; index < 50_000; index++) source.push(`to do thing${index}`, `  say ${index}`);
    source.push("to do thing7", "  say 7", "do thing49999");
    const outcome = checkSource(lines(...source), { file: FILE });
    expect(outcome.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([`The procedure "do thing7" is already defined at ${FILE}:15:1.`]);
  });
});

describe("checking many parallel loops and deep indentation stays linear", () => {
  it("25,000 parallel loops are checked, and one that changes an outer fact is still reported", () => {
    const source = ["the items are 1, 2", "the total is 0"];
    for (let index = 0; index < 25_000; index++) source.push("process each item in the items in parallel", `  the item${index} is 1`);
    source.push("process each item in the items in parallel", "  the total is 1");
    const outcome = checkSource(lines(...source), { file: FILE });
    expect(outcome.diagnostics.map((diagnostic) => diagnostic.message)).toEqual(['This parallel loop changes "the total", a fact from outside the loop; each iteration has its own facts.']);
  });

  it("a line dedented between two of hundreds of open blocks names the two nearest", () => {
    const source: string[] = [];
    for (let level = 0; level < 90; level++) source.push(`${"  ".repeat(level)}if yes`);
    source.push(`${"  ".repeat(90)}say 1`, `${" ".repeat(101)}say 2`);
    const outcome = checkSource(lines(...source), { file: FILE });
    expect(outcome.formatted.join("\n")).toContain("fix: indent it by 98 or 100 or 102 or 104 spaces");
  });
});

describe("numbers that grow without end still show", () => {
  it("a number squared 30 times shows in scientific notation, not as a billion digits", async () => {
    const outcome = await runScript(lines("the x is 10", "repeat 30 times", "  the x is the x * the x", "say the x", "the big is 10", "repeat 12 times", "  the big is the big * the big", "the price is $1 * the big", "say the price"), { file: FILE });
    expect(outcome.result?.output).toEqual(["1e+1073741824", "$1e+4096"]);
  });
});
