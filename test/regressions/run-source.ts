import { checkScript } from "../../src/check/check-script.js";
import { hasErrors } from "../../src/syntax/diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { runProgram, type RunResult } from "../../src/runtime/run-program.js";
import { AnswerBook } from "../../src/runtime/questions.js";
import type { RunContext } from "../../src/runtime/run-context.js";

/**
 * Runs a script given as text, headless, with a fixed clock and no files: enough for the
 * regression tests of bugs found while writing the examples.
 */
export async function runSource(source: string, answers: Record<string, string> = {}): Promise<RunResult> {
  const file = "/regressions/script.prose";
  const parsed = parseScript(source, file);
  const program = checkScript(parsed.script, { loadSource: () => undefined });
  const diagnostics = [...parsed.diagnostics, ...program.diagnostics];
  if (hasErrors(diagnostics)) throw new Error(`the script has errors: ${diagnostics.map((diagnostic) => diagnostic.message).join("; ")}`);
  const context: RunContext = {
    say: () => {},
    warn: () => {},
    now: () => new Date(2024, 10, 5, 9, 30, 0),
    sleep: async () => {},
    readFile: async () => {
      throw Object.assign(new Error("no files here"), { code: "ENOENT" });
    },
    writeFile: async () => {},
  };
  const book = new AnswerBook();
  for (const [key, value] of Object.entries(answers)) book.add(key, { value });
  return runProgram(program, context, book);
}

/** The source of a script written as lines. */
export function lines(...written: string[]): string {
  return `${written.join("\n")}\n`;
}
