import { createInterface, type Completer, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";

export interface LineReaderOptions {
  input: Readable;
  output: Writable;
  /** Whether the input is a terminal: line editing, completion and history. */
  terminal: boolean;
  completer?: Completer;
  /** Earlier inputs, newest first (readline's order). */
  history?: string[];
  historySize?: number;
  /** Told of the history after every line, newest first. */
  onHistory?: (history: string[]) => void;
}

/**
 * Lines typed at the prompt, one at a time, over node:readline. Lines that arrive before they are
 * asked for (pasted or piped) wait in order; the same reader serves the prompt and the questions
 * a run asks, so answers typed inline reach the question and not the next input.
 */
export class LineReader {
  private readonly readline: Interface;
  private readonly waiting: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private closed = false;

  constructor(options: LineReaderOptions) {
    this.readline = createInterface({
      input: options.input,
      output: options.output,
      terminal: options.terminal,
      ...(options.completer ? { completer: options.completer } : {}),
      history: options.history ?? [],
      historySize: options.historySize ?? 1000,
      removeHistoryDuplicates: true,
    });
    this.readline.on("line", (line) => {
      const waiter = this.waiter;
      this.waiter = undefined;
      if (waiter) waiter(line);
      else this.waiting.push(line);
    });
    this.readline.on("close", () => {
      this.closed = true;
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter?.(undefined);
    });
    if (options.onHistory) this.readline.on("history", options.onHistory);
    // Ctrl-C drops what is typed on the line, as in a shell; Ctrl-D or :quit leave.
    this.readline.on("SIGINT", () => {
      this.readline.write("", { ctrl: true, name: "u" });
      options.output.write("\n(To leave, type :quit or press Ctrl-D.)\n");
      this.readline.prompt();
    });
  }

  /** The next line, after showing the prompt; undefined at the end of the input (Ctrl-D). */
  next(prompt: string): Promise<string | undefined> {
    const line = this.waiting.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closed) return Promise.resolve(undefined);
    this.readline.setPrompt(prompt);
    this.readline.prompt();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  close(): void {
    this.readline.close();
  }
}
