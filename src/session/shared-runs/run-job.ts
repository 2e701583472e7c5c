import type { Answer } from "../../runtime/questions.js";

/**
 * The run queue's contract between `prose serve --queue` (or any producer) and `prose worker`:
 * a BullMQ queue in the same Redis as the run store. A job asks a worker for one attempt of a run
 * whose record is in the store (src/session/shared-runs/shared-run-store.ts).
 */

/** The BullMQ queue's name, and the prefix of its keys in Redis. */
export const runQueueName = "prose-runs";
export const runQueuePrefix = "prose:bull";

export interface RunJob {
  runId: string;
  /** The script, relative to the scripts root: each worker finds it under its own `--scripts`. */
  script: string;
  /** Answers given with this attempt (a run resumed after a question), by key as given. */
  answers?: Array<[string, Answer]>;
  /** Stops the attempt after this long, cancelling the model calls in flight. */
  timeoutSeconds?: number;
}

/** The channel a run's events are published on (JSON `{"event","data"}`), for the server's streams. */
export function runEventsChannel(runId: string): string {
  return `prose:events:${runId}`;
}

/** The channel of cancellations: a run id; the worker running it stops it as Ctrl-C does. */
export const runCancelChannel = "prose:cancel";
