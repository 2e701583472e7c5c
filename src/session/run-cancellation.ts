import { setMaxListeners } from "node:events";

/** Why a run was stopped before its end. */
export type StopReason = "interrupted" | "terminated" | "timeout";

export interface RunCancellation {
  /** Given to the run: it aborts the model requests in flight (through the SDKs) and the waits. */
  signal: AbortSignal;
  reason(): StopReason | undefined;
  /** The English line that says why the run stopped, once it has. */
  message(): string | undefined;
  dispose(): void;
}

/** A stop asked from outside: Ctrl-C (SIGINT), or SIGTERM from `kill`, a service manager or a container runtime. */
export type StopSignal = "interrupted" | "terminated";

/**
 * Subscribes to the stops the caller knows of (the command line: Ctrl-C and SIGTERM); returns the
 * unsubscribe. Called without a reason: an interruption.
 */
export type InterruptSource = (onInterrupt: (signal?: StopSignal) => void) => () => void;

const messages: Record<StopReason, (timeoutSeconds: number | undefined) => { error: string; line: string }> = {
  interrupted: () => ({ error: "The run was interrupted (Ctrl-C).", line: "stopped: interrupted (Ctrl-C); the model calls in flight were cancelled." }),
  terminated: () => ({ error: "The run was terminated (SIGTERM).", line: "stopped: terminated (SIGTERM); the model calls in flight were cancelled." }),
  timeout: (seconds) => ({ error: `The run went past its --timeout of ${seconds} s.`, line: `stopped: the run went past its --timeout of ${seconds} s; the model calls in flight were cancelled.` }),
};

/**
 * Interruptions, SIGTERM and a timeout stop a run alike: the model requests in flight are
 * aborted, the run ends there, and what it did is recorded (journal, usage records, run.json).
 */
export function runCancellation(options: { timeoutSeconds?: number; interrupts?: InterruptSource }): RunCancellation {
  const controller = new AbortController();
  // Every call in flight and every call waiting for its provider's limits listens to this one
  // signal (and removes its listener when it ends): many listeners are its purpose, not a leak.
  setMaxListeners(0, controller.signal);
  let reason: StopReason | undefined;
  const stop = (why: StopReason) => {
    if (reason !== undefined) return;
    reason = why;
    controller.abort(new Error(messages[why](options.timeoutSeconds).error));
  };
  const unsubscribe = options.interrupts?.((signal) => stop(signal ?? "interrupted"));
  const timer = options.timeoutSeconds === undefined ? undefined : setTimeout(() => stop("timeout"), options.timeoutSeconds * 1000);
  timer?.unref();
  return {
    signal: controller.signal,
    reason: () => reason,
    message: () => (reason === undefined ? undefined : messages[reason](options.timeoutSeconds).line),
    dispose: () => {
      unsubscribe?.();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
