import { readFileSync } from "node:fs";

/**
 * When a process started, as Linux tells it (`/proc/<pid>/stat` field 22: clock ticks after boot),
 * to tell a process from a later one given the same PID; undefined where there is no /proc or no
 * such process.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After "pid (name) ", field 3 (state) comes first; the start time is field 22.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
