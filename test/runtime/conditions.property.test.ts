import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import { hasErrors } from "../../src/syntax/diagnostic.js";
import { formatDiagnostic } from "../../src/syntax/format-diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { runProgram } from "../../src/runtime/run-program.js";
import { standardPhrasebook } from "../../stdlib/registry.js";
import { answerBook, InMemoryFiles, memoryContext } from "../support/run-script.js";

/**
 * The conditions of v1 (`is in`, `is terminated by`, `matches the pattern`, `whose` filters)
 * never end in an exception or an internal error, and no pattern hangs: random lines made of
 * their words, and random patterns (many of them the classic runaway ones) on long texts.
 */

const FILE = "/scripts/conditions.prose";

const facts = [
  'the first claim\'s status is "open"',
  "the first claim's total is $1,200",
  'the second claim\'s status is "closed"',
  "the second claim's total is 7",
  'the codes are "a", "B" and "c"',
  'the text is "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"',
  "the count is 3",
];

const vocabulary = [
  "the", "claims", "claim's", "status", "total", "totals", "codes", "text", "count", "whose", "is", "not", "in", "of",
  "and", "or", "(", ")", ",", "matches", "match", "does", "pattern", "regular", "expression", "terminated", "by",
  "greater", "than", "number", "sum", "exists", "exist", "empty", "contains", '"open"', '"a"', '"(a+)+$"', '"(a"',
  '"\\\\1"', '"^[a-z]+$"', '"(?=a)"', "1", "$1,000", "nothing", "yes", "say", "if", "for", "each", "claim", "process",
];

const line = fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 12 }).map((words) => words.join(" "));
const script = fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => [...facts, ...lines.map((text) => (/^(if|for|process)\b/.test(text) ? `${text}\n    say "x"` : text))].join("\n"));

/** Pieces of patterns, among them those that make backtracking engines run away. */
const patternPiece = fc.constantFrom("a", "a+", "(a+)+", "(a*)*", "(a|aa)+", "(a|a?)+", ".*", ".*.*=.*", "[a-z]", "\\d", "\\s", "$", "^", "(", ")", "|", "{2,}", "\\1", "(?!b)", "[", "]");
const pattern = fc.array(patternPiece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(""));

async function exercise(source: string): Promise<void> {
  const parsed = parseScript(source, FILE);
  for (const diagnostic of parsed.diagnostics) formatDiagnostic(diagnostic, source);
  const world = new InMemoryFiles("/scripts", {});
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  if (hasErrors([...parsed.diagnostics, ...program.diagnostics])) return;
  const { context } = memoryContext(world);
  const result = await runProgram(program, context, answerBook());
  expect(["done", "failed", "waiting"]).toContain(result.status);
  if (result.error) expect(result.error.message).not.toMatch(/internal error/);
}

const runs = { numRuns: 200, seed: 20261205 } as const;

describe("conditions of v1 never throw and never hang", { timeout: 60_000 }, () => {
  it("random lines of their words", async () => {
    await fc.assert(fc.asyncProperty(script, exercise), runs);
  });

  it("random patterns end with an answer (JavaScript's, on a short text) or an English error, even on a long text", async () => {
    const short = "aaaaaaaaaa!";
    const long = `${"a".repeat(5_000)}!`;
    await fc.assert(
      fc.asyncProperty(pattern, async (written) => {
        // Held in a fact, so the run (not only the check) meets every pattern.
        const held = written.replace(/\\/g, "\\\\").replace(/[{}]/g, (brace) => brace + brace);
        const source = [`the short is "${short}"`, `the long is "${long}"`, `the pattern is "${held}"`, "say the short matches the pattern", "say the long matches the pattern"].join("\n");
        const parsed = parseScript(source, FILE);
        const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
        expect([...parsed.diagnostics, ...program.diagnostics]).toEqual([]);
        const { context } = memoryContext(new InMemoryFiles("/scripts", {}));
        const result = await runProgram(program, context, answerBook());
        if (result.status === "done") {
          // JavaScript's own answer on the short text (short enough for backtracking to end).
          expect(result.output[0]).toBe(new RegExp(written).test(short) ? "yes" : "no");
          expect(["yes", "no"]).toContain(result.output[1]);
        } else {
          expect(result.error?.message).toMatch(/not a valid regular expression|which Prose does not run|pattern engine can't run/);
        }
      }),
      { numRuns: 150, seed: 20261205 },
    );
  });
});
