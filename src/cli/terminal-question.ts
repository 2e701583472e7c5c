import { createInterface } from "node:readline/promises";
import { RunStopped } from "../runtime/errors.js";
import type { Answer, Question } from "../runtime/questions.js";

export interface TerminalQuestionOptions {
  /** The run's cancellation: Ctrl-C or --timeout while the question waits ends it. */
  signal?: AbortSignal;
  /** The terminal; stdin and stderr unless given (tests give their own). */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** What Ctrl-C typed at the question does: by default, what Ctrl-C does anywhere else in a run (SIGINT). */
  interrupt?: () => void;
}

/**
 * Asks a question at the terminal. While the question waits, the terminal is in raw mode, so
 * Ctrl-C arrives as a keystroke, not as SIGINT: it is passed on as SIGINT, and the run stops as
 * it does for Ctrl-C at any other moment (the run's signal then ends the question).
 */
export async function askAtTerminal(question: Question, options: TerminalQuestionOptions = {}): Promise<Answer> {
  const { signal } = options;
  if (signal?.aborted) throw new RunStopped(signal);
  const terminal = createInterface({
    input: options.input ?? process.stdin,
    output: options.output ?? process.stderr,
    ...(options.input === undefined ? {} : { terminal: true }),
  });
  terminal.on("SIGINT", options.interrupt ?? (() => process.kill(process.pid, "SIGINT")));
  try {
    if (question.problem) (options.output ?? process.stderr).write(`${question.problem}\n`);
    const choices = question.choices.length > 0 ? ` (${question.choices.join(" / ")})` : "";
    const typed = await terminal.question(`? ${question.text}${choices} `, signal === undefined ? {} : { signal });
    const trimmed = typed.trim();
    if (trimmed.toLowerCase() === "skip") return { skip: true };
    if (trimmed.toLowerCase() === "retry") return { retry: true };
    return { value: typed };
  } catch (problem) {
    if (signal?.aborted) throw new RunStopped(signal);
    throw problem;
  } finally {
    terminal.close();
  }
}
