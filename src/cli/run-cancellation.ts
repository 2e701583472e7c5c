import { UsageError } from "./usage-error.js";

/** Why a run was stopped before its end. */
export type StopReason = "interrupted" | "timeout";

export interface RunCancellation {
  /** Given to the run: it aborts the model requests in flight (through the SDKs) and the waits. */
  signal: AbortSignal;
  reason(): StopReason | undefined;
  /** The English line that says why the run stopped, once it has. */
  message(): string | undefined;
  /** 130 after Ctrl-C (as shells report SIGINT), 124 after --timeout (as `timeout` does). */
  exitCode(): number | undefined;
  dispose(): void;
}

/** Subscribes to Ctrl-C; returns the unsubscribe. Tests give their own. */
export type InterruptSource = (onInterrupt: () => void) => () => void;

/**
 * Ctrl-C (SIGINT) and `--timeout SECONDS` stop a run: the model requests in flight are aborted,
 * the run ends there, and what it did is recorded. A second Ctrl-C exits at once.
 */
export function runCancellation(options: { timeoutSeconds?: number; onInterrupt?: InterruptSource }): RunCancellation {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason) => {
    if (reason !== undefined) return;
    reason = why;
    controller.abort(new Error(why === "interrupted" ? "The run was interrupted (Ctrl-C)." : `The run went past its --timeout of ${options.timeoutSeconds} s.`));
  };
  const unsubscribe = (options.onInterrupt ?? processInterrupts)(() => stop("interrupted"));
  const timer = options.timeoutSeconds === undefined ? undefined : setTimeout(() => stop("timeout"), options.timeoutSeconds * 1000);
  timer?.unref();
  return {
    signal: controller.signal,
    reason: () => reason,
    message: () => {
      if (reason === "interrupted") return "stopped: interrupted (Ctrl-C); the model calls in flight were cancelled.";
      if (reason === "timeout") return `stopped: the run went past its --timeout of ${options.timeoutSeconds} s; the model calls in flight were cancelled.`;
      return undefined;
    },
    exitCode: () => (reason === "interrupted" ? 130 : reason === "timeout" ? 124 : undefined),
    dispose: () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** SIGINT for the run; a second one while the run stops exits at once. */
const processInterrupts: InterruptSource = (onInterrupt) => {
  let count = 0;
  const handler = () => {
    count += 1;
    if (count > 1) process.exit(130);
    onInterrupt();
  };
  process.on("SIGINT", handler);
  return () => process.off("SIGINT", handler);
};

/** `--timeout` as seconds above 0; undefined when not given. */
export function parseTimeoutSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) throw new UsageError(`--timeout "${text}" is not a number of seconds above 0.`, "For example: --timeout 600 (ten minutes).");
  return seconds;
}
