import * as acorn from "acorn";
import { parseScript } from "../../src/syntax/parse-script.js";
import { checkScript } from "../../src/check/check-script.js";
import { formatLocation } from "../../src/syntax/span.js";
import { generateJavaScript, generateProse } from "./generate.js";
import { format, median, now, pause, spread, type BenchReport } from "./measure.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

const LINES = 20_000;
const WARMUPS = 2;
const ROUNDS = 7;
const TARGET_SHARE = 1 / 3;
const FILE = "/bench/generated.prose";

function parseAndCheck(source: string): { parse: number; check: number; diagnostics: number } {
  const start = now();
  const parsed = parseScript(source, FILE);
  const parsedAt = now();
  const checked = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  const end = now();
  return { parse: parsedAt - start, check: end - parsedAt, diagnostics: parsed.diagnostics.length + checked.diagnostics.length };
}

function parseJavaScript(source: string): void {
  // `locations: true` is acorn's counterpart of the line and column every Prose span carries.
  acorn.parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true });
}

/** Parse + check of a generated 20,000-line script, beside acorn on JavaScript of the same size. */
export async function parseThroughput(): Promise<BenchReport> {
  const source = generateProse(LINES);
  const bytes = Buffer.byteLength(source, "utf8");
  const lines = source.split("\n").length - 1;
  const javaScript = generateJavaScript(bytes);
  const javaScriptLines = javaScript.split("\n").length - 1;

  // The script must be one that a person could have written: no diagnostic at all.
  const parsed = parseScript(source, FILE);
  const checked = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  const problems = [...parsed.diagnostics, ...checked.diagnostics];
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((problem) => `${formatLocation(problem.span)}: ${problem.message}`).join("\n  ");
    throw new Error(`the generated script has ${problems.length} diagnostics, so timing it would mean nothing:\n  ${shown}`);
  }
  parseJavaScript(javaScript);

  // Rounds alternate between the two, so that a busy machine slows both alike.
  const prose: Array<{ parse: number; check: number }> = [];
  const acornTimes: number[] = [];
  for (let round = 0; round < WARMUPS + ROUNDS; round++) {
    const result = parseAndCheck(source);
    await pause();
    const start = now();
    parseJavaScript(javaScript);
    const acornTime = now() - start;
    await pause();
    if (round < WARMUPS) continue;
    prose.push(result);
    acornTimes.push(acornTime);
  }
  const totals = prose.map((round) => round.parse + round.check);
  const proseMs = median(totals);
  const acornMs = median(acornTimes);
  const megabytes = bytes / 1e6;
  const proseRate = megabytes / (proseMs / 1000);
  const acornRate = megabytes / (acornMs / 1000);
  const share = proseRate / acornRate;
  return {
    rows: [
      {
        name: `parse + check, ${format(lines)} lines`,
        measured: `${format(proseRate)} MB/s, ${format(lines / (proseMs / 1000))} lines/s`,
        baseline: `acorn ${format(acornRate)} MB/s`,
        ratio: `${share.toFixed(2)}× acorn`,
        target: `≥ ${TARGET_SHARE.toFixed(2)}× acorn`,
        pass: share >= TARGET_SHARE,
      },
    ],
    notes: [
      `parse + check: ${format(lines)} lines, ${format(megabytes)} MB, 0 diagnostics; ${spread(totals)} in all`,
      `  parseScript ${spread(prose.map((round) => round.parse))}; checkScript ${spread(prose.map((round) => round.check))}`,
      `  acorn (locations on): same byte size, ${format(javaScriptLines)} lines of JavaScript, ${spread(acornTimes)}`,
    ],
  };
}
