import { checkGrowth } from "./check-growth.js";
import { coldStart } from "./cold-start.js";
import { interpreterLoop } from "./interpreter-loop.js";
import { listAppend } from "./list-append.js";
import { manyRuns } from "./many-runs.js";
import { llmCallOverhead } from "./llm-call-overhead.js";
import { parseThroughput } from "./parse-throughput.js";
import { routerLimitUtilization } from "./router-limit-utilization.js";
import { routerMemory } from "./router-memory.js";
import { routerOverhead } from "./router-overhead.js";
import { routerSharedLimits } from "./router-shared-limits.js";
import { serveThroughput } from "./serve-throughput.js";
import { scaleOut } from "./scale-out.js";
import { workerCrash } from "./worker-crash.js";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { printTable, type BenchReport, type BenchRow } from "./measure.js";

/**
 * `npm run bench`: every benchmark beside its baseline, measured in the same run, then one
 * table with PASS or MISS against each target. Names given on the command line pick some
 * (`node dist/test/bench/run-all.js parse`). The exit code is 0 even when a target is missed:
 * these are measurements, not tests. Each benchmark runs in a process of its own, so none
 * measures the heap, the collector's state or the connections another one left behind.
 */
const benchmarks: Array<{ key: string; title: string; run: () => Promise<BenchReport> }> = [
  { key: "parse", title: "parse + check throughput", run: parseThroughput },
  { key: "check-growth", title: "check time growth over broken lines", run: checkGrowth },
  { key: "interpreter", title: "interpreter loop", run: interpreterLoop },
  { key: "list-append", title: "list append", run: listAppend },
  { key: "cold-start", title: "cold start", run: coldStart },
  { key: "llm-call", title: "LLM procedure call overhead", run: llmCallOverhead },
  { key: "router-limits", title: "router: limit utilization", run: routerLimitUtilization },
  { key: "router-overhead", title: "router: overhead and throughput", run: routerOverhead },
  { key: "router-shared-limits", title: "router: one limit across 4 processes (Redis)", run: routerSharedLimits },
  { key: "router-memory", title: "router: memory over 20,000 calls", run: routerMemory },
  { key: "many-runs", title: "many runs in one process (prose serve's runtime)", run: manyRuns },
  { key: "serve", title: "prose serve: 200 runs at once, waiting runs' memory", run: serveThroughput },
  { key: "scale-out", title: "prose worker: 400 runs by 1, 2 and 4 workers (Redis queue)", run: scaleOut },
  { key: "worker-crash", title: "prose worker: one of 4 workers killed mid-way through 400 runs", run: workerCrash },
];

/** Set in the process that runs one benchmark: it prints its report as JSON on the last line. */
const childFlag = "--one-benchmark";

const wanted = process.argv.slice(2).filter((word) => word !== childFlag);
const chosen = benchmarks.filter((benchmark) => wanted.length === 0 || wanted.some((word) => benchmark.key.includes(word)));
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(" ")}; they are: ${benchmarks.map((benchmark) => benchmark.key).join(", ")}`);
  process.exit(2);
}

if (process.argv.includes(childFlag)) {
  const report = await chosen[0].run();
  console.log(JSON.stringify(report));
} else {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  let failed = false;
  for (const benchmark of chosen) {
    process.stderr.write(`running ${benchmark.title}…\n`);
    try {
      const report = await inOwnProcess(benchmark.key);
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
}

/** Runs one benchmark in a fresh Node process and reads its report. */
function inOwnProcess(key: string): Promise<BenchReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), key, childFlag], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = output.trimEnd().split("\n").pop() ?? "";
      try {
        if (code !== 0) throw new Error(`it exited with ${code}`);
        resolve(JSON.parse(last) as BenchReport);
      } catch (problem) {
        reject(new Error(`${(problem as Error).message}; it printed: ${output.slice(-500)}`));
      }
    });
  });
}
