import type { RunHost } from "../session/run-host.js";
import { systemClock } from "../llm/router/clock.js";
import { readConfined, writeConfined } from "./confined-files.js";
import { listConfined } from "./confined-folders.js";
import type { FilesPolicy } from "./files-policy.js";
import type { ProgressLine } from "./progress-line.js";
import { askAtTerminal } from "./terminal-question.js";
import type { Writer } from "./writer.js";

export interface NodeRunHostOptions {
  /** What the script says goes to standard output (not with --json). */
  sayToStdout: boolean;
  /** Where the script reads and writes: its files root and allowed folders; never the workspace or keys. */
  files: FilesPolicy;
  /** Questions are asked at the terminal. */
  interactive?: boolean;
  /** Asks questions another way (the REPL asks at its prompt). */
  askPerson?: RunHost["askPerson"];
  /** Starts a run of another script on its own (`start a run of …`): given by `prose run` (see run-starter.ts). */
  startRun?: RunHost["startRun"];
  /** Web requests (with --allow-net) and the agent's named secrets (`run-web.ts`). */
  web?: Pick<RunHost, "request" | "hasSecret">;
  /** The progress line on standard error: told of loop items and model calls; questions hold it. */
  progress?: ProgressLine;
}

/**
 * The real world of a run on the command line: stdout for what the script says, stderr for
 * warnings, the clock, files inside the run's files policy, questions at the terminal, the
 * progress line. Complete when made: the session adds the models and the stop signal.
 */
export function nodeRunHost(writer: Writer, options: NodeRunHostOptions): RunHost {
  const { progress } = options;
  const ask = options.askPerson ?? (options.interactive ? (question, signal) => askAtTerminal(question, signal === undefined ? {} : { signal }) : undefined);
  return {
    say: (line) => {
      if (options.sayToStdout) writer.out(line);
    },
    warn: (message) => writer.err(`warning: ${message}`),
    now: () => new Date(),
    sleep: systemClock.sleep,
    readFile: (path) => readConfined(options.files, path),
    // Written beside the target under an unpredictable name, then renamed: a crash never leaves half a file.
    writeFile: (path, contents) => writeConfined(options.files, path, contents),
    listFolder: (path) => listConfined(options.files, path),
    ...(options.startRun === undefined ? {} : { startRun: options.startRun }),
    ...(options.web?.request === undefined ? {} : { request: options.web.request }),
    ...(options.web?.hasSecret === undefined ? {} : { hasSecret: options.web.hasSecret }),
    ...(ask === undefined ? {} : { askPerson: progress ? (question, signal) => progress.hold(() => ask(question, signal)) : ask }),
    ...(progress ? { progress: (event) => progress.progress(event), recordModelCall: (call) => progress.modelCall(call) } : {}),
  };
}
