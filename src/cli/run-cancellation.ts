import { UsageError } from "./usage-error.js";

/** Why a run was stopped before its end. */
export type StopReason = "interrupted" | "terminated" | "timeout";

export interface RunCancellation {
  /** Given to the run: it aborts the model requests in flight (through the SDKs) and the waits. */
  signal: AbortSignal;
  reason(): StopReason | undefined;
  /** The English line that says why the run stopped, once it has. */
  message(): string | undefined;
  /** 130 after Ctrl-C (as shells report SIGINT), 143 after SIGTERM, 124 after --timeout (as `timeout` does). */
  exitCode(): number | undefined;
  dispose(): void;
}

/** A signal that stops a run: Ctrl-C (SIGINT), or SIGTERM from `kill`, a service manager or a container runtime. */
export type StopSignal = "interrupted" | "terminated";

/** Subscribes to Ctrl-C and SIGTERM; returns the unsubscribe. Tests give their own (called without a reason: Ctrl-C). */
export type InterruptSource = (onInterrupt: (signal?: StopSignal) => void) => () => void;

const messages: Record<StopReason, (timeoutSeconds: number | undefined) => { error: string; line: string }> = {
  interrupted: () => ({ error: "The run was interrupted (Ctrl-C).", line: "stopped: interrupted (Ctrl-C); the model calls in flight were cancelled." }),
  terminated: () => ({ error: "The run was terminated (SIGTERM).", line: "stopped: terminated (SIGTERM); the model calls in flight were cancelled." }),
  timeout: (seconds) => ({ error: `The run went past its --timeout of ${seconds} s.`, line: `stopped: the run went past its --timeout of ${seconds} s; the model calls in flight were cancelled.` }),
};
const exitCodes: Record<StopReason, number> = { interrupted: 130, terminated: 143, timeout: 124 };

/**
 * Ctrl-C (SIGINT), SIGTERM and `--timeout SECONDS` stop a run alike: the model requests in flight
 * are aborted, the run ends there, and what it did is recorded (journal, usage records, run.json).
 * A second Ctrl-C or SIGTERM exits at once.
 */
export function runCancellation(options: { timeoutSeconds?: number; onInterrupt?: InterruptSource }): RunCancellation {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason) => {
    if (reason !== undefined) return;
    reason = why;
    controller.abort(new Error(messages[why](options.timeoutSeconds).error));
  };
  const unsubscribe = (options.onInterrupt ?? processInterrupts)((signal) => stop(signal ?? "interrupted"));
  const timer = options.timeoutSeconds === undefined ? undefined : setTimeout(() => stop("timeout"), options.timeoutSeconds * 1000);
  timer?.unref();
  return {
    signal: controller.signal,
    reason: () => reason,
    message: () => (reason === undefined ? undefined : messages[reason](options.timeoutSeconds).line),
    exitCode: () => (reason === undefined ? undefined : exitCodes[reason]),
    dispose: () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** SIGINT and SIGTERM for the run; a second one while the run stops exits at once. */
const processInterrupts: InterruptSource = (onInterrupt) => {
  let count = 0;
  const handlers = {
    SIGINT: () => stopOrExit("interrupted"),
    SIGTERM: () => stopOrExit("terminated"),
  };
  const stopOrExit = (signal: StopSignal) => {
    count += 1;
    if (count > 1) process.exit(exitCodes[signal]);
    onInterrupt(signal);
  };
  for (const [name, handler] of Object.entries(handlers)) process.on(name, handler);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) process.off(name, handler);
  };
};

/** `--timeout` as seconds above 0; undefined when not given. */
export function parseTimeoutSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) throw new UsageError(`--timeout "${text}" is not a number of seconds above 0.`, "For example: --timeout 600 (ten minutes).");
  return seconds;
}
