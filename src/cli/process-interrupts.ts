import type { InterruptSource, StopReason, StopSignal } from "../session/run-cancellation.js";
import { UsageError } from "./usage-error.js";

/** 130 after Ctrl-C (as shells report SIGINT), 143 after SIGTERM, 124 after --timeout (as `timeout` does). */
export const stopExitCodes: Record<StopReason, number> = { interrupted: 130, terminated: 143, timeout: 124 };

/** SIGINT and SIGTERM for the run; a second one while the run stops exits at once. */
export const processInterrupts: InterruptSource = (onInterrupt) => {
  let count = 0;
  const handlers = {
    SIGINT: () => stopOrExit("interrupted"),
    SIGTERM: () => stopOrExit("terminated"),
  };
  const stopOrExit = (signal: StopSignal) => {
    count += 1;
    if (count > 1) process.exit(stopExitCodes[signal]);
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

/** The first SIGINT or SIGTERM (a second one exits at once): when a server or a worker stops. */
export function firstStopSignal(): Promise<StopSignal> {
  return new Promise((resolve) => {
    processInterrupts((signal) => resolve(signal ?? "interrupted"));
  });
}
