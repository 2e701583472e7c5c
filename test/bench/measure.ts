import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { fileURLToPath } from "node:url";

/**
 * Small timing helpers shared by the benchmarks. Nothing here asserts: a benchmark reports
 * rows, and `run-all.ts` prints them with PASS or MISS beside each target.
 */

/** The repository root, found from this file's place (dist/test/bench → three levels up). */
export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Milliseconds since an arbitrary origin, with sub-millisecond precision. */
export function now(): number {
  return performance.now();
}

export interface SampleOptions {
  /** Runs thrown away first, so the JIT has compiled the hot paths. */
  warmups: number;
  /** Runs that count. */
  rounds: number;
}

/** Times `run` `rounds` times after `warmups` untimed runs; returns each round's milliseconds. */
export async function sample(run: () => unknown, options: SampleOptions): Promise<number[]> {
  for (let index = 0; index < options.warmups; index++) await run();
  const times: number[] = [];
  for (let index = 0; index < options.rounds; index++) {
    const start = now();
    await run();
    times.push(now() - start);
  }
  return times;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (0–100), interpolating between the two nearest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** "12.3 ms (p10 11.9, p90 13.0, n=7)": a median with its spread, for the notes under the table. */
export function spread(values: readonly number[], unit = "ms"): string {
  return `${format(median(values))} ${unit} (p10 ${format(percentile(values, 10))}, p90 ${format(percentile(values, 90))}, n=${values.length})`;
}

/** A number with about three significant digits, thousands grouped. */
export function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** One line of the results table. */
export interface BenchRow {
  name: string;
  /** What Prose achieved, with its unit ("212 ms", "1.9 MB/s"). */
  measured: string;
  /** The same quantity for the baseline measured in the same run. */
  baseline: string;
  /** Prose relative to the baseline, phrased so the target reads against it ("0.41× acorn"). */
  ratio: string;
  target: string;
  pass: boolean;
}

/** A benchmark's rows plus free-form notes (spreads, sizes) printed under the table. */
export interface BenchReport {
  rows: BenchRow[];
  notes: string[];
}

export function printTable(rows: readonly BenchRow[]): string {
  const header = ["benchmark", "measured", "baseline", "ratio", "target", "result"];
  const cells = rows.map((row) => [row.name, row.measured, row.baseline, row.ratio, row.target, row.pass ? "PASS" : "MISS"]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
  const line = (values: readonly string[]) => values.map((value, column) => value.padEnd(widths[column])).join("  ").trimEnd();
  return [line(header), widths.map((width) => "─".repeat(width)).join("  "), ...cells.map(line)].join("\n");
}

/** Lets a long benchmark give the event loop and the garbage collector a moment between runs. */
export function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A full garbage collection, so that a memory figure counts what is kept, not garbage waiting
 * for the collector's next turn (V8 exposes `gc` once the flag is set).
 */
export function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
