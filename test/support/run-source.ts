import type { RunResult } from "../../src/runtime/run-program.js";
import { run } from "./run-script.js";

/** Runs a script given as text, headless, with the unit tests' in-memory world and fixed clock. */
export function runSource(source: string, answers: Record<string, string> = {}): Promise<RunResult> {
  return run(source, { file: "/regressions/script.prose", answers: Object.fromEntries(Object.entries(answers).map(([key, value]) => [key, { value }])) });
}

export { lines } from "./run-script.js";
