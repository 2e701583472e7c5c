import { checkScript } from "../../src/check/check-script.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { runProgram } from "../../src/runtime/run-program.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import { AnswerBook } from "../../src/runtime/questions.js";
import { format, median, now, pause, spread, type BenchReport } from "./measure.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

const APPENDS = 80_000;
const ROUNDS = 5;
/** Appending may cost at most this many times a statement that adds 1 to a number. */
const TARGET_RATIO = 3;

const appendScript = `the items are nothing\nrepeat ${APPENDS} times\n    add 1 to the items\nsay the number of items\n`;
const countScript = `the count is 0\nrepeat ${APPENDS} times\n    add 1 to the count\nsay the count\n`;

async function timeRun(source: string): Promise<{ ms: number; said: string[] }> {
  const parsed = parseScript(source, "/bench/append.prose");
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  if (parsed.diagnostics.length + program.diagnostics.length > 0) throw new Error("the append script has diagnostics");
  const said: string[] = [];
  const context: RunContext = { say: (line) => said.push(line), warn: () => undefined, now: () => new Date(), sleep: async () => undefined, readFile: async () => new Uint8Array(), writeFile: async () => undefined };
  const start = now();
  const result = await runProgram(program, context, new AnswerBook());
  const ms = now() - start;
  if (result.status !== "done") throw new Error(`the run ended ${result.status}: ${result.error?.message ?? ""}`);
  return { ms, said };
}

/**
 * `add 1 to the items` 80,000 times, beside `add 1 to the count` 80,000 times in the same run:
 * an append is amortised O(1), so the list costs about what the number does. Before the fix each
 * append copied the list, and the 80,000 took 48 s.
 */
export async function listAppend(): Promise<BenchReport> {
  const appendTimes: number[] = [];
  const countTimes: number[] = [];
  for (let round = 0; round < ROUNDS + 1; round++) {
    const append = await timeRun(appendScript);
    if (append.said[0] !== String(APPENDS)) throw new Error(`the list has ${append.said[0]} items`);
    await pause();
    const count = await timeRun(countScript);
    await pause();
    if (round === 0) continue;
    appendTimes.push(append.ms);
    countTimes.push(count.ms);
  }
  const ratio = median(appendTimes) / median(countTimes);
  return {
    rows: [
      {
        name: `${format(APPENDS)} appends to a list`,
        measured: `${format(median(appendTimes))} ms`,
        baseline: `${format(median(countTimes))} ms adding to a number`,
        ratio: `${ratio.toFixed(2)}× the number`,
        target: `≤ ${TARGET_RATIO}×`,
        pass: ratio <= TARGET_RATIO,
      },
    ],
    notes: [`list append: ${spread(appendTimes)}; adding to a number: ${spread(countTimes)}`],
  };
}
