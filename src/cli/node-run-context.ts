import { readFile, writeFile, rename } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { dirname, basename, join } from "node:path";
import type { RunContext } from "../runtime/run-context.js";
import type { Answer, Question } from "../runtime/questions.js";
import type { Writer } from "./writer.js";

/** The real world: stdout for what the script says, stderr for warnings, files, the clock. */
export function nodeRunContext(writer: Writer, options: { interactive: boolean; sayToStdout: boolean }): RunContext {
  const context: RunContext = {
    say: (line) => {
      if (options.sayToStdout) writer.out(line);
    },
    warn: (message) => writer.err(`warning: ${message}`),
    now: () => new Date(),
    sleep: (milliseconds, signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, milliseconds);
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
    readFile: async (path) => new Uint8Array(await readFile(path)),
    writeFile: async (path, contents) => {
      // Written beside the target, then renamed: a crash never leaves half a file.
      const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      await writeFile(temporary, contents, "utf8");
      await rename(temporary, path);
    },
  };
  if (options.interactive) context.askPerson = askAtTerminal;
  return context;
}

async function askAtTerminal(question: Question): Promise<Answer> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if (question.problem) process.stderr.write(`${question.problem}\n`);
    const choices = question.choices.length > 0 ? ` (${question.choices.join(" / ")})` : "";
    const typed = await terminal.question(`? ${question.text}${choices} `);
    const trimmed = typed.trim();
    if (trimmed.toLowerCase() === "skip") return { skip: true };
    if (trimmed.toLowerCase() === "retry") return { retry: true };
    return { value: typed };
  } finally {
    terminal.close();
  }
}
