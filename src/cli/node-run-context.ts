import { readFile, writeFile, rename } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import type { RunContext } from "../runtime/run-context.js";
import { systemClock } from "../llm/router/clock.js";
import { askAtTerminal } from "./terminal-question.js";
import type { Writer } from "./writer.js";

/** The real world: stdout for what the script says, stderr for warnings, files, the clock. */
export function nodeRunContext(writer: Writer, options: { interactive: boolean; sayToStdout: boolean }): RunContext {
  const context: RunContext = {
    say: (line) => {
      if (options.sayToStdout) writer.out(line);
    },
    warn: (message) => writer.err(`warning: ${message}`),
    now: () => new Date(),
    sleep: systemClock.sleep,
    readFile: async (path) => new Uint8Array(await readFile(path)),
    writeFile: async (path, contents) => {
      // Written beside the target, then renamed: a crash never leaves half a file.
      const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      await writeFile(temporary, contents, "utf8");
      await rename(temporary, path);
    },
  };
  // The run's signal is set after the context is made: read when a question is asked.
  if (options.interactive) context.askPerson = (question) => askAtTerminal(question, context.signal === undefined ? {} : { signal: context.signal });
  return context;
}
