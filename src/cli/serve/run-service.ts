import type { UsageQuery, UsageRead } from "../../llm/router/usage-log.js";
import type { UsageTotals } from "../../llm/router/usage-record.js";
import type { AnswerBook } from "../../runtime/questions.js";
import type { RunRecord } from "../../runtime/run-store.js";
import type { StopSignal } from "../../session/run-cancellation.js";
import type { NewRunRequest } from "./new-run-request.js";
import type { RunEvents } from "./run-events.js";

/**
 * What the API (api-routes.ts, run-event-stream.ts) needs from the runs, whoever runs them: the
 * server itself (`RunManager`: runs in this process, records in the workspace's files) or the
 * workers of a queue (`QueuedRunService`: records in the shared run store, runs enqueued).
 */
export interface RunService {
  /** The workspace: tokens, and (without a queue) the runs' files. */
  readonly workspace: string;
  /** The run's record as a reader shows it (`shownStatus` reads it), or undefined. */
  read(id: string): Promise<RunRecord | undefined>;
  /** Every run, newest first. */
  list(): Promise<RunRecord[]>;
  /** The run's usage with the router's attempts, when it has any. */
  usageOf(record: RunRecord): Promise<UsageTotals | undefined>;
  /** The usage records `GET /api/usage` sums, when they are not the workspace's files. */
  usageRecords?(query: UsageQuery): Promise<UsageRead>;
  /** Whether the run is queued or running here although its record may not say so yet (answered, not yet started). */
  isHeld(id: string): boolean;

  /** A new run: checked, recorded, queued. Its id. */
  start(request: NewRunRequest): Promise<string>;
  /** Answers to a waiting run's questions, then the run resumed; the warnings for keys that matched none. */
  answer(id: string, answers: AnswerBook, keysGiven: number): Promise<string[]>;
  /** Stops a queued or running run as Ctrl-C does; resolves when it has ended. */
  cancel(id: string): Promise<void>;

  /** The run's events (held now, or seen while this server ran), or undefined (then its record is all there is). `record` is the run as just read. */
  eventsOf(id: string, record?: RunRecord): RunEvents | undefined;
  /** What the run said so far in the attempt running now, when it runs. */
  liveOutput(id: string): string[] | undefined;
  /** Runs running, and runs queued. */
  counts(): Promise<{ running: number; queued: number }>;

  /** Resumes the runs left interrupted; their ids. */
  recover(): Promise<string[]>;
  /** Stops taking requests; the ids of the runs this server stopped (to be resumed by the next start). */
  shutdown(signal: StopSignal): Promise<string[]>;
}
