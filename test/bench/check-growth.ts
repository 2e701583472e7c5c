import { checkScript } from "../../src/check/check-script.js";
import { expectedInputs } from "../../src/check/expected-inputs.js";
import { unsetFactWarnings } from "../../src/check/unset-facts.js";
import { formatDiagnostic } from "../../src/syntax/format-diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { generateProse } from "./generate.js";
import { format, median, now, pause, spread, type BenchReport, type BenchRow } from "./measure.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

const SIZES = [10_000, 40_000, 100_000];
const ROUNDS = 3;
const FILE = "/bench/broken.prose";
/** The cost per 10,000 lines at 100,000 lines may be at most this many times the cost at 10,000. */
const TARGET_GROWTH = 1.5;

/** Four kinds of mistake, one per line, each reported by a different stage. */
const brokenLines = [
  (index: number) => `the total ${index} is is 5`,
  (index: number) => `frobnicate the invoice ${index}`,
  (index: number) => `say "unclosed ${index}`,
  (index: number) => `the note ${index} is (1 + `,
];

export function generateBroken(lines: number): string {
  const source: string[] = [];
  for (let index = 0; index < lines; index++) source.push(brokenLines[index % brokenLines.length](index));
  return `${source.join("\n")}\n`;
}

/**
 * What `prose check` does with a file, without the terminal: parse, check, look for facts read
 * but never set (and list the inputs, as `--inputs` does), and show every diagnostic with its line.
 */
function checkAndShow(source: string): number {
  const parsed = parseScript(source, FILE);
  const checked = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics, ...unsetFactWarnings(checked)];
  expectedInputs(checked);
  let shown = 0;
  for (const diagnostic of diagnostics) shown += formatDiagnostic(diagnostic, source).length;
  return shown === 0 ? 0 : diagnostics.length;
}

/**
 * `prose check` of files of 10,000, 40,000 and 100,000 broken lines (one mistake per line), in
 * seconds per 10,000 lines, beside the same number of valid lines checked in the same run. Linear
 * cost means the seconds per 10,000 lines stay flat as the file grows; before the fix, showing
 * each diagnostic split the whole file again, and 40,000 broken lines took about 90 s.
 */
export async function checkGrowth(): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  let first: number | undefined;
  for (const lines of SIZES) {
    const broken = generateBroken(lines);
    const valid = generateProse(lines);
    const diagnostics = checkAndShow(broken);
    if (diagnostics < lines) throw new Error(`the broken file of ${format(lines)} lines gave only ${format(diagnostics)} diagnostics`);
    const brokenTimes: number[] = [];
    const validTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = now();
      checkAndShow(broken);
      brokenTimes.push(now() - start);
      await pause();
      start = now();
      checkAndShow(valid);
      validTimes.push(now() - start);
      await pause();
    }
    const perTenThousand = median(brokenTimes) / 1000 / (lines / 10_000);
    const validPerTenThousand = median(validTimes) / 1000 / (lines / 10_000);
    first ??= perTenThousand;
    const growth = perTenThousand / first;
    rows.push({
      name: `check, ${format(lines)} broken lines`,
      measured: `${perTenThousand.toFixed(3)} s per 10k lines`,
      baseline: `${validPerTenThousand.toFixed(3)} s per 10k valid lines`,
      ratio: `${growth.toFixed(2)}× the cost per line at 10k`,
      target: `≤ ${TARGET_GROWTH.toFixed(2)}×`,
      pass: growth <= TARGET_GROWTH,
    });
    notes.push(`check ${format(lines)} lines: broken (${format(diagnostics)} diagnostics, each shown) ${spread(brokenTimes)}; valid ${spread(validTimes)}`);
  }
  return { rows, notes };
}
