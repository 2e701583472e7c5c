import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import { hasErrors } from "../../src/syntax/diagnostic.js";
import { formatDiagnostic } from "../../src/syntax/format-diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { runProgram } from "../../src/runtime/run-program.js";
import { answerBook, InMemoryFiles, memoryContext } from "../support/run-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/**
 * Finding 9, as a property: no script, however nested or long, makes Prose hit an internal error.
 * Scripts are generated with random nesting of blocks, parentheses and lists, long lines, deep
 * indentation, garbage and unbalanced quotes. Each is parsed and checked, and run when it is
 * valid, with a budget of time given through the run's signal (the interpreter's pulse stops it):
 * every outcome is success, or diagnostics and runtime errors that say where (file:line:col).
 */

const FILE = "/scripts/runaway.prose";
const place = new RegExp(`^${FILE.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+$`);

const leaf = fc.constantFrom("1", "0", "-3.5", "$120.20", "15%", "yes", "no", "nothing", "today", '"ab"', '"{the x}"', "the x", "the items", "the t", "the number of items", "the first item", '"unclosed');
const operator = fc.constantFrom(" + ", " - ", " * ", " / ", " and ", " or ", " is ", " is greater than ", " contains ", ", ");

const expression: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { arbitrary: leaf, weight: 5 },
    { arbitrary: tie("value").map((inner) => `(${inner})`), weight: 2 },
    { arbitrary: fc.tuple(tie("value"), operator, tie("value")).map(([left, op, right]) => `${left}${op}${right}`), weight: 3 },
    { arbitrary: tie("value").map((inner) => `- ${inner}`), weight: 1 },
    { arbitrary: tie("value").map((inner) => `not ${inner}`), weight: 1 },
  ),
})).value;

/** Parentheses (and `-`/`not`) nested up to 300 deep, balanced or not. */
const deepExpression = fc
  .tuple(fc.nat({ max: 300 }), fc.nat({ max: 300 }), fc.constantFrom("(", "- ", "not ", "(- ", "(not "), expression)
  .map(([open, close, opener, inner]) => `${opener.repeat(open)}${inner}${")".repeat(opener.includes("(") ? close : 0)}`);

/** A flat chain of up to 6,000 terms: sums, conditions, lists. */
const longExpression = fc
  .tuple(fc.integer({ min: 1, max: 6_000 }), operator, leaf)
  .map(([count, op, term]) => Array.from({ length: count }, () => term).join(op));

const anyExpression = fc.oneof({ arbitrary: expression, weight: 4 }, { arbitrary: deepExpression, weight: 2 }, { arbitrary: longExpression, weight: 1 });

const simpleLine = fc.oneof(
  anyExpression.map((value) => `the x is ${value}`),
  anyExpression.map((value) => `the items are ${value}`),
  anyExpression.map((value) => `say ${value}`),
  anyExpression.map((value) => `add ${value} to the items`),
  anyExpression.map((value) => `ensure ${value}`),
  anyExpression.map((value) => `say "value: {${value}}"`),
  fc.constant("the t is the t + the t"),
  fc.constant('the t is "{the t}{the t}"'),
  fc.constant("the items are the items, the items"),
  fc.constant("the items are the items, 1"),
  fc.constant("the x is 10 * the x * the x"),
  fc.constant("the node's next is the node"),
  fc.constant("say the node"),
  fc.constant("the copy is the items"),
  fc.constant("stop"),
  fc.constant('fail "no"'),
);

const blockOpener = fc.oneof(
  anyExpression.map((condition) => `if ${condition}`),
  fc.constant("otherwise"),
  fc.nat({ max: 50 }).map((count) => `repeat ${count} times`),
  fc.constant("repeat 100000000 times"),
  fc.constant("process each item in the items"),
);

/** Characters that trouble a lexer or a parser. */
const garbage = fc
  .array(fc.constantFrom("(", ")", '"', "“", "”", "{", "}", "'s", ",", ".", ":", "-", "+", "*", "/", "<", ">=", "=", "!", "#", "\t", " ", "the", "is", "are", "and", "not", "é", "\u0000", "\ufeff", "12th", "$"), { maxLength: 400 })
  .map((pieces) => pieces.join(""));

/** Lines with their nesting: blocks within blocks, to random depths, with any indentation. */
interface Line {
  depth: number;
  text: string;
}

const staircase = fc.tuple(fc.integer({ min: 1, max: 400 }), blockOpener, simpleLine).map(([depth, opener, last]): Line[] => [
  ...Array.from({ length: depth }, (_, level) => ({ depth: level, text: opener })),
  { depth, text: last },
]);

const block: fc.Arbitrary<Line[]> = fc.letrec<{ lines: Line[] }>((tie) => ({
  lines: fc
    .array(
      fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        { arbitrary: simpleLine.map((text): Line[] => [{ depth: 0, text }]), weight: 4 },
        { arbitrary: garbage.map((text): Line[] => [{ depth: 0, text }]), weight: 1 },
        { arbitrary: fc.tuple(blockOpener, tie("lines")).map(([opener, inner]): Line[] => [{ depth: 0, text: opener }, ...inner.map((line) => ({ ...line, depth: line.depth + 1 }))]), weight: 2 },
        { arbitrary: staircase, weight: 1 },
      ),
      { maxLength: 6 },
    )
    .map((groups) => groups.flat()),
})).lines;

const indentUnit = fc.constantFrom("  ", "    ", "\t", " ");
const lineEnd = fc.constantFrom("\n", "\r\n");

const script = fc.tuple(block, indentUnit, lineEnd, fc.boolean()).map(([lines, unit, end, jagged]) =>
  ["the items are 1, 2", 'the t is "ab"', "the x is 2", 'the node\'s name is "n"', ...lines.map((line, index) => `${unit.repeat(line.depth)}${jagged && index % 3 === 0 ? " " : ""}${line.text}`)].join(end) + end,
);

const outcomes = { checked: 0, ran: 0, nestingReported: 0 };

async function exercise(source: string): Promise<void> {
  const parsed = parseScript(source, FILE);
  const world = new InMemoryFiles("/scripts", {});
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: (path) => world.source(path) });
  const diagnostics = [...parsed.diagnostics, ...program.diagnostics];
  for (const diagnostic of diagnostics) {
    const shown = formatDiagnostic(diagnostic, source);
    expect(shown).toMatch(new RegExp(`^${FILE.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: (error|warning): `));
    expect(shown).not.toMatch(/internal error|Maximum call stack|Invalid string length/);
    if (/Prose allows/.test(diagnostic.message)) outcomes.nestingReported++;
  }
  outcomes.checked++;
  if (hasErrors(diagnostics)) return;
  const { context } = memoryContext(world);
  const result = await runProgram(program, { ...context, signal: AbortSignal.timeout(250) }, answerBook());
  outcomes.ran++;
  expect(["done", "failed", "waiting"]).toContain(result.status);
  if (result.status === "failed") {
    expect(result.error?.message ?? "").not.toMatch(/internal error/);
    expect(result.error?.at ?? "").toMatch(place);
  }
}

const seed = Number(process.env.PROSE_FUZZ_SEED ?? 20261204);
const scale = Number(process.env.PROSE_FUZZ_SCALE ?? 1);

describe("no script, however nested or long, produces an internal error", { timeout: 120_000 * scale }, () => {
  it("generated scripts: nested blocks, parentheses and lists, long lines, deep indentation, garbage", async () => {
    await fc.assert(fc.asyncProperty(script, exercise), { numRuns: 120 * scale, seed });
    // The generator reaches all three outcomes: limits reported, valid scripts run.
    expect(outcomes.nestingReported).toBeGreaterThan(0);
    expect(outcomes.ran).toBeGreaterThan(10);
  });
});
