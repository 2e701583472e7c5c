import type { Redis } from "ioredis";
import { runEventsChannel } from "../../session/shared-runs/run-job.js";
import type { AttemptEvents } from "../serve/run-attempt.js";

/**
 * A worker's attempt events, published on the run's channel (`prose:events:<run id>`) for the
 * server's streams. Best effort, as a stream is: the run's record in the store is what is kept;
 * a failed publish is said once in the worker's log. A resumed run's earlier lines are in its
 * record already: they are not told again (`hasOutput`).
 */
export function publishedEvents(publisher: Redis, runId: string, log: (line: string) => void): AttemptEvents {
  let reported = false;
  return {
    emit: (event, data) => {
      publisher.publish(runEventsChannel(runId), JSON.stringify({ event, data })).catch((problem: unknown) => {
        if (reported) return;
        reported = true;
        log(`run ${runId}: its events could not be published (${problem instanceof Error ? problem.message : String(problem)}); its record is kept all the same.`);
      });
    },
    hasOutput: () => true,
  };
}
