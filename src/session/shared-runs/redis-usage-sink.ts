import type { RedisConnection } from "../../llm/shared-limits/redis-connection.js";
import type { UsageRecord, UsageSink } from "../../llm/router/usage-record.js";
import { monthUsageKey, runKeys, usageScript } from "./redis-run-scripts.js";
import type { RunStoreUnavailableError } from "./run-store-unavailable.js";

/**
 * Where a run's router puts each attempt's usage record: sent at once (no batching timer), as one
 * script pushing it to the run's list (`prose:run:<id>:usage`) and the month's
 * (`prose:usage:<yyyy-mm>`), on the store's one connection — the connection its journal appends
 * go by.
 *
 * Why no usage record is lost or doubled, even by kill -9: the router calls `record` (here: the
 * command is sent) before the call's result reaches the interpreter, and the interpreter journals
 * the call only after that. Redis runs one connection's commands in the order they were sent, so
 * a journal record Redis has implies the usage records sent before it are there too. A resumed
 * run replays the journaled calls without calling (no new record), and calls again only what was
 * not journaled: those are new attempts, each with its own record. Nothing is sent twice by the
 * client either: the store's connection does not resend a command whose answer was lost with the
 * connection (`resendUnanswered: false`), and the scripts go by EVAL (no NOSCRIPT retry).
 */
export class RedisUsageSink implements UsageSink {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly connection: RedisConnection<RunStoreUnavailableError>,
    private readonly onError: (message: string) => void,
  ) {}

  record(record: UsageRecord): void {
    const month = monthUsageKey(record.time.slice(0, 7));
    const keys = record.runId === null ? [month] : [month, runKeys(record.runId).usage];
    const sent = this.connection
      .run((redis) => redis.eval(usageScript, keys.length, ...keys, JSON.stringify(record)) as Promise<number>)
      .then(
        () => undefined,
        (problem: unknown) => {
          this.onError(`A usage record of the run ${record.runId ?? "(none)"} was not kept: ${problem instanceof Error ? problem.message : String(problem)}`);
        },
      );
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  /** Resolves once Redis answered every record sent so far. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
