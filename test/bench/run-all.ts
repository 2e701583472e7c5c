import { coldStart } from "./cold-start.js";
import { interpreterLoop } from "./interpreter-loop.js";
import { llmCallOverhead } from "./llm-call-overhead.js";
import { parseThroughput } from "./parse-throughput.js";
import { routerLimitUtilization } from "./router-limit-utilization.js";
import { routerMemory } from "./router-memory.js";
import { routerOverhead } from "./router-overhead.js";
import { printTable, type BenchReport, type BenchRow } from "./measure.js";

/**
 * `npm run bench`: every benchmark beside its baseline, measured in the same run, then one
 * table with PASS or MISS against each target. Names given on the command line pick some
 * (`node dist/test/bench/run-all.js parse`). The exit code is 0 even when a target is missed:
 * these are measurements, not tests.
 */
const benchmarks: Array<{ key: string; title: string; run: () => Promise<BenchReport> }> = [
  { key: "parse", title: "parse + check throughput", run: parseThroughput },
  { key: "interpreter", title: "interpreter loop", run: interpreterLoop },
  { key: "cold-start", title: "cold start", run: coldStart },
  { key: "llm-call", title: "LLM procedure call overhead", run: llmCallOverhead },
  { key: "router-limits", title: "router: limit utilization", run: routerLimitUtilization },
  { key: "router-overhead", title: "router: overhead and throughput", run: routerOverhead },
  { key: "router-memory", title: "router: memory over 20,000 calls", run: routerMemory },
];

const wanted = process.argv.slice(2);
const chosen = benchmarks.filter((benchmark) => wanted.length === 0 || wanted.some((word) => benchmark.key.includes(word)));
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(" ")}; they are: ${benchmarks.map((benchmark) => benchmark.key).join(", ")}`);
  process.exit(2);
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
const rows: BenchRow[] = [];
const notes: string[] = [];
let failed = false;
for (const benchmark of chosen) {
  process.stderr.write(`running ${benchmark.title}…\n`);
  try {
    const report = await benchmark.run();
    rows.push(...report.rows);
    notes.push(...report.notes);
  } catch (problem) {
    failed = true;
    const message = problem instanceof Error ? problem.message : String(problem);
    rows.push({ name: benchmark.title, measured: "error", baseline: "-", ratio: "-", target: "-", pass: false });
    notes.push(`${benchmark.title} could not be measured: ${message}`);
  }
}

console.log("");
console.log(printTable(rows));
console.log("");
for (const note of notes) console.log(note);
if (failed) process.exitCode = 1;
