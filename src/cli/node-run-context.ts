import type { RunContext } from "../runtime/run-context.js";
import { systemClock } from "../llm/router/clock.js";
import { readConfined, writeConfined } from "./confined-files.js";
import type { FilesPolicy } from "./files-policy.js";
import { askAtTerminal } from "./terminal-question.js";
import type { Writer } from "./writer.js";

/**
 * The real world: stdout for what the script says, stderr for warnings, the clock, and files
 * inside the run's files policy (its files root and allowed folders; never the workspace or keys).
 */
export function nodeRunContext(writer: Writer, options: { interactive: boolean; sayToStdout: boolean; files: FilesPolicy }): RunContext {
  const context: RunContext = {
    say: (line) => {
      if (options.sayToStdout) writer.out(line);
    },
    warn: (message) => writer.err(`warning: ${message}`),
    now: () => new Date(),
    sleep: systemClock.sleep,
    readFile: (path) => readConfined(options.files, path),
    // Written beside the target under an unpredictable name, then renamed: a crash never leaves half a file.
    writeFile: (path, contents) => writeConfined(options.files, path, contents),
  };
  // The run's signal is set after the context is made: read when a question is asked.
  if (options.interactive) context.askPerson = (question) => askAtTerminal(question, context.signal === undefined ? {} : { signal: context.signal });
  return context;
}
