import { stopWorkspaceChanges, workspaceChangesCompleted, workspaceChangesInProgress } from "../../byom/workspace-lock.js";
import type { Writer } from "../writer.js";

export type StopSignal = "SIGINT" | "SIGTERM";

/** Subscribes to Ctrl-C and SIGTERM; returns the unsubscribe. */
export type StopSignalSource = (onSignal: (signal: StopSignal) => void) => () => void;

const processStopSignals: StopSignalSource = (onSignal) => {
  const interrupt = () => onSignal("SIGINT");
  const terminate = () => onSignal("SIGTERM");
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", terminate);
  return () => {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", terminate);
  };
};

export interface StopGuard {
  /** The signal that arrived during a change, to be reported once the command has ended. */
  deferred(): StopSignal | undefined;
  /** The line and exit code for a signal that arrived during the command. */
  report(signal: StopSignal, options?: { changeStopped?: boolean }): { line: string; exitCode: number };
  dispose(): void;
}

/**
 * Ctrl-C (SIGINT) and SIGTERM during a `prose byom` command. Outside a workspace change (reading
 * the secret, testing a new credential) the command stops at once: nothing was changed. During
 * a change (lock held, secret and configuration being written) the signal is deferred: the
 * change is finished, the command prints its result, then exits 130 (SIGINT) or 143 (SIGTERM)
 * with one line; a wait for another command's lock ends at once. A second signal during a change
 * exits at once; the lock and temporary files are removed as the process exits, and what is
 * half done is finished or cleaned by the next command.
 */
export function guardAgainstStopSignals(writer: Writer, source: StopSignalSource = processStopSignals): StopGuard {
  let deferred: StopSignal | undefined;
  const completedAtStart = workspaceChangesCompleted();
  const report = (signal: StopSignal, options: { changeStopped?: boolean } = {}) => {
    const what = signal === "SIGINT" ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)";
    const exitCode = signal === "SIGINT" ? 130 : 143;
    if (deferred !== undefined && options.changeStopped !== true) return { line: `stopped: ${what} during a change to the workspace; the change was allowed to end first.`, exitCode };
    if (workspaceChangesCompleted() > completedAtStart) return { line: `stopped: ${what} after the change to the workspace was saved.`, exitCode };
    return { line: `stopped: ${what}; nothing was changed.`, exitCode };
  };
  const unsubscribe = source((signal) => {
    if (deferred !== undefined) {
      writer.err(`stopped at once: a second ${signal === "SIGINT" ? "Ctrl-C" : "SIGTERM"} during a change to the workspace; the next \`prose byom\` command finishes or cleans what is half done.`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    stopWorkspaceChanges(signal);
    if (workspaceChangesInProgress() > 0) {
      deferred = signal;
      return;
    }
    const { line, exitCode } = report(signal);
    writer.err(line);
    process.exit(exitCode);
  });
  return { deferred: () => deferred, report, dispose: unsubscribe };
}
