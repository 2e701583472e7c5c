import { checkScript } from "../../src/check/check-script.js";
import { runProgram } from "../../src/runtime/run-program.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import { AnswerBook } from "../../src/runtime/questions.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { format, median, now, pause, spread, type BenchReport } from "./measure.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

const ITERATIONS = 1_000_000;
const WARMUPS = 1;
const ROUNDS = 5;
const TARGET_MS = 1000;

const SOURCE = ["the counter is 0", `repeat ${ITERATIONS} times`, "    add 1 to the counter", ""].join("\n");

/** Everything in memory: nothing is written, read, or asked. */
function memoryContext(): RunContext {
  return {
    say: () => {},
    warn: () => {},
    now: () => new Date(0),
    sleep: async () => {},
    readFile: async (path) => {
      throw new Error(`no file ${path} in the benchmark`);
    },
    writeFile: async () => {},
  };
}

/** The JavaScript a person would write for the same job: a named value in a Map, a million times. */
function plainLoop(): number {
  const facts = new Map<string, number>([["counter", 0]]);
  for (let index = 0; index < ITERATIONS; index++) facts.set("counter", facts.get("counter")! + 1);
  return facts.get("counter")!;
}

/** `repeat 1000000 times / add 1 to the counter` through runProgram, beside a plain JavaScript loop. */
export async function interpreterLoop(): Promise<BenchReport> {
  const parsed = parseScript(SOURCE, "/bench/counter.prose");
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  if (parsed.diagnostics.length + program.diagnostics.length > 0) throw new Error("the counter script has diagnostics");

  const runOnce = async (): Promise<number> => {
    const start = now();
    const result = await runProgram(program, memoryContext(), new AnswerBook());
    const elapsed = now() - start;
    if (result.status !== "done" || result.facts.counter !== ITERATIONS) {
      throw new Error(`the counter script ended ${result.status} with the counter at ${JSON.stringify(result.facts.counter)}: ${result.error?.message ?? ""}`);
    }
    return elapsed;
  };
  const plainOnce = (): number => {
    const start = now();
    const counted = plainLoop();
    const elapsed = now() - start;
    if (counted !== ITERATIONS) throw new Error("the plain loop miscounted");
    return elapsed;
  };

  const proseTimes: number[] = [];
  const plainTimes: number[] = [];
  for (let round = 0; round < WARMUPS + ROUNDS; round++) {
    const proseTime = await runOnce();
    await pause();
    const plainTime = plainOnce();
    await pause();
    if (round < WARMUPS) continue;
    proseTimes.push(proseTime);
    plainTimes.push(plainTime);
  }
  const proseMs = median(proseTimes);
  const plainMs = median(plainTimes);
  return {
    rows: [
      {
        name: `repeat ${format(ITERATIONS)} × add 1`,
        measured: `${format(proseMs)} ms`,
        baseline: `JS Map loop ${format(plainMs)} ms`,
        ratio: `${format(proseMs / plainMs)}× JS`,
        target: `< ${format(TARGET_MS)} ms`,
        pass: proseMs < TARGET_MS,
      },
    ],
    notes: [
      `interpreter: ${spread(proseTimes)}, ${format((proseMs * 1e6) / ITERATIONS)} ns per iteration`,
      `  plain JavaScript Map loop: ${spread(plainTimes)}`,
    ],
  };
}
