import { checkScript } from "../../src/check/check-script.js";
import { EnvironmentModelResolver, type Environment } from "../../src/llm/environment-resolver.js";
import { AnswerBook } from "../../src/runtime/questions.js";
import { runProgram, type RunResult } from "../../src/runtime/run-program.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import type { Diagnostic } from "../../src/syntax/diagnostic.js";

/** Runs a script whose LLM procedures call models found in the given environment. */
export async function runWithModels(
  source: string,
  environment: Environment,
  options: { answers?: Record<string, string>; files?: Record<string, string>; binaryFiles?: Record<string, Uint8Array> } = {},
): Promise<RunResult & { diagnostics: Diagnostic[] }> {
  const file = "/scripts/test.prose";
  const parsed = parseScript(source, file);
  const program = checkScript(parsed.script, { loadSource: () => undefined });
  const diagnostics = [...parsed.diagnostics, ...program.diagnostics];
  if (diagnostics.some((diagnostic) => diagnostic.severity === "error")) {
    throw new Error(diagnostics.map((diagnostic) => `${diagnostic.span.start.line}:${diagnostic.span.start.column} ${diagnostic.message}`).join("\n"));
  }
  const files = new Map<string, Uint8Array>(Object.entries(options.files ?? {}).map(([path, contents]) => [`/scripts/${path}`, new TextEncoder().encode(contents)]));
  for (const [path, bytes] of Object.entries(options.binaryFiles ?? {})) files.set(`/scripts/${path}`, bytes);
  const context: RunContext = {
    say: () => undefined,
    warn: () => undefined,
    now: () => new Date("2026-11-23T10:00:00Z"),
    sleep: async () => undefined,
    readFile: async (path) => {
      const found = files.get(path);
      if (!found) throw Object.assign(new Error("missing"), { code: "ENOENT" });
      return found;
    },
    writeFile: async () => undefined,
    models: new EnvironmentModelResolver(environment),
  };
  const answers = new AnswerBook();
  for (const [key, value] of Object.entries(options.answers ?? {})) answers.add(key, { value });
  const result = await runProgram(program, context, answers);
  return { ...result, diagnostics };
}
