import { EnvironmentModelResolver, type Environment } from "../../src/llm/environment-resolver.js";
import type { RunResult } from "../../src/runtime/run-program.js";
import { run } from "./run-script.js";

/** Runs a script (in /scripts) whose LLM procedures call models found in the given environment. */
export function runWithModels(
  source: string,
  environment: Environment,
  options: { answers?: Record<string, string>; files?: Record<string, string | Uint8Array> } = {},
): Promise<RunResult> {
  const answers = Object.fromEntries(Object.entries(options.answers ?? {}).map(([key, value]) => [key, { value }]));
  return run(source, { file: "/scripts/test.prose", files: options.files, answers, models: new EnvironmentModelResolver(environment) });
}
