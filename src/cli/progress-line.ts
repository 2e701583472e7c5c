import type { GenerateResult } from "../llm/language-model.js";
import type { ProgressEvent } from "../runtime/run-context.js";
import type { Writer } from "./writer.js";

/** Where the line is drawn: standard error at a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

export interface ProgressState {
  itemsDone: number;
  itemsTotal: number;
  modelCalls: number;
  tokens: number;
  elapsedMilliseconds: number;
}

/**
 * Only for a person watching: never with --json, and only when both output streams are a
 * terminal (piped output stays clean, and a log file gets no carriage returns).
 */
export function wantsProgress(options: { json: boolean; stdoutIsTerminal: boolean; stderrIsTerminal: boolean }): boolean {
  return !options.json && options.stdoutIsTerminal && options.stderrIsTerminal;
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off. */
export function colourAllowed(environment: NodeJS.ProcessEnv): boolean {
  return (environment.NO_COLOR ?? "") === "";
}

/** `3/10 items · 5 model calls · 1,234 tokens · 12s`, dimmed when colour is allowed. */
export function progressText(state: ProgressState, colour: boolean): string {
  const parts: string[] = [];
  if (state.itemsTotal > 0) parts.push(`${state.itemsDone}/${state.itemsTotal} items`);
  parts.push(`${state.modelCalls} model ${state.modelCalls === 1 ? "call" : "calls"}`);
  if (state.tokens > 0) parts.push(`${state.tokens.toLocaleString("en-US")} tokens`);
  parts.push(elapsed(state.elapsedMilliseconds));
  const text = parts.join(" · ");
  return colour ? `\u001b[2m${text}\u001b[22m` : text;
}

function elapsed(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

const clearLine = "\r\u001b[2K";

/**
 * A status line at the bottom of the terminal while a run is long: drawn after `delay`
 * milliseconds, redrawn every `interval`, and cleared before any other line is printed (use
 * `writer()`), so output and messages never mix with it.
 */
export class ProgressLine {
  private readonly state: ProgressState = { itemsDone: 0, itemsTotal: 0, modelCalls: 0, tokens: 0, elapsedMilliseconds: 0 };
  private readonly started: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private shown = false;
  private held = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: { colour: boolean; now?: () => number; delay?: number; interval?: number },
  ) {
    this.started = this.now();
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), this.options.interval ?? 200);
    this.timer.unref?.();
  }

  /** Stops drawing and clears the line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  progress(event: ProgressEvent): void {
    if (event.kind === "items") this.state.itemsTotal += event.added;
    else this.state.itemsDone += 1;
  }

  modelCall(result: GenerateResult): void {
    this.state.modelCalls += 1;
    this.state.tokens += (result.usage.inputTokens ?? 0) + (result.usage.outputTokens ?? 0);
  }

  /** Draws the line now, once the run has lasted `delay`. */
  draw(): void {
    this.state.elapsedMilliseconds = this.now() - this.started;
    if (this.held > 0 || this.state.elapsedMilliseconds < (this.options.delay ?? 1000)) return;
    const text = progressText(this.state, this.options.colour);
    const width = Math.max(10, (this.stream.columns ?? 80) - 1);
    // Escape codes take no room on the screen: only the visible text is cut to the width.
    const visible = text.replace(/\u001b\[\d+m/g, "");
    const fitted = visible.length <= width ? text : progressText(this.state, false).slice(0, width);
    this.stream.write(`${clearLine}${fitted}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.stream.write(clearLine);
    this.shown = false;
  }

  /** Keeps the line away while `work` runs (a question asked at the terminal). */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.held += 1;
    this.clear();
    try {
      return await work();
    } finally {
      this.held -= 1;
    }
  }

  /** A writer that clears the line before each line it prints; the next tick draws it again. */
  writer(inner: Writer): Writer {
    return {
      out: (line) => {
        this.clear();
        inner.out(line);
      },
      err: (line) => {
        this.clear();
        inner.err(line);
      },
    };
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
