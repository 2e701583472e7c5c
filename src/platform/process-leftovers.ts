/**
 * What a process leaves behind if it exits in the middle of a change (a second Ctrl-C): its
 * lock and its temporary files, removed synchronously as it exits. Files of a process killed
 * outright (kill -9) are found by the next command instead (`src/byom/workspace-tidy.ts`).
 */
const cleanups = new Set<() => void>();
let listening = false;

/** Runs `cleanup` if the process exits before the returned function is called. */
export function onForcedExit(cleanup: () => void): () => void {
  if (!listening) {
    listening = true;
    process.on("exit", () => {
      for (const each of cleanups) {
        try {
          each();
        } catch {
          // Exiting: nothing more to do.
        }
      }
    });
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** Whether no process has this PID any more (one of another user still exists: EPERM). */
export function processIsGone(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (problem) {
    return (problem as NodeJS.ErrnoException).code === "ESRCH";
  }
}
