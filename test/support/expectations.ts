import type { RunResult } from "../../src/runtime/run-program.js";
import { run, type ScriptOptions } from "./run-script.js";

/** A run that must fail: its English error, where, and the fix, without the span. */
export async function failure(source: string, options: ScriptOptions = {}): Promise<{ message: string; at: string | null; fix?: string }> {
  const result = await run(source, options);
  if (result.status !== "failed" || !result.error) throw new Error(`expected the run to fail, but it ended ${result.status}: ${JSON.stringify(result)}`);
  const { message, at, fix } = result.error;
  return fix === undefined ? { message, at } : { message, at, fix };
}

/** A run that must wait: its questions. */
export async function waiting(source: string, options: ScriptOptions = {}): Promise<RunResult> {
  const result = await run(source, options);
  if (result.status !== "waiting") throw new Error(`expected the run to wait, but it ended ${result.status}: ${JSON.stringify(result)}`);
  return result;
}
