import { hasRedisServer } from "../support/redis-server.js";
import { callsScript, crashRun, startQueueCluster } from "../support/queue-cluster.js";
import { format, percentile, type BenchReport } from "./measure.js";

/**
 * A worker killed mid-run: 400 runs of a script with 3 model calls each (a local model server
 * answering after 200 ms) through `prose serve --queue` and 4 `prose worker` processes
 * (--concurrency 16, PROSE_LEASE_MILLISECONDS=3000); once about half have ended, one worker is
 * killed with SIGKILL. Counted once every run has ended: runs done, prompts the model server was
 * asked and answered more than once, usage records in the store against journaled model steps,
 * and how long the killed worker's runs waited to be taken over. The kill comes at a moment the
 * worker has calls in flight and every answer it has received is journaled (crashRun): an answer
 * it got in its last milliseconds, before journaling it, is rightly asked again (and billed
 * again), and would blur the count. The baseline is what the kill
 * left to redo: the model calls in flight on the killed worker.
 */
const RUNS = 400;
const WORKERS = 4;
const CONCURRENCY = 16;
const LEASE_MS = 3000;

export async function workerCrash(): Promise<BenchReport> {
  if (!hasRedisServer) throw new Error("redis-server is not installed (apt-get install redis-server)");
  const cluster = await startQueueCluster({ workers: WORKERS, concurrency: CONCURRENCY, scripts: { "calls.prose": callsScript(3) }, modelDelayMilliseconds: 200, leaseMilliseconds: LEASE_MS });
  try {
    const report = await crashRun(cluster, { runs: RUNS, killWhenEnded: RUNS / 2, timeoutMilliseconds: 300_000 });
    const lost = RUNS - report.done;
    const usageOff = report.usageMismatches.length;
    const takeover = report.takeoverMilliseconds;
    return {
      rows: [
        {
          name: `worker crash: ${RUNS} runs, ${WORKERS} workers, one killed (kill -9) mid-way: runs done`,
          measured: `${report.done} done, ${lost} lost`,
          baseline: `${report.endedAtKill} ended at the kill, ${report.heldByKilled.length} held by the killed worker`,
          ratio: "-",
          target: `${RUNS} done, 0 lost`,
          pass: lost === 0,
        },
        {
          name: "worker crash: journaled model calls made again (answered twice, not counting answers the killed worker had not journaled)",
          measured: `${report.answeredTwice.length} made again; ${report.journaledTwice} steps journaled twice (${report.requestedTwice.length} prompts asked twice)`,
          baseline: `${report.inFlightOfKilled} in flight and ${report.answersInHands.length} unjournaled answers on the killed worker: asked again`,
          ratio: "-",
          target: "0",
          pass: report.answeredTwice.length === 0 && report.journaledTwice === 0,
        },
        {
          name: "worker crash: usage records in the store vs answers the workers read",
          measured: `${report.usageRecords} usage records, ${usageOff} runs differ`,
          baseline: `${report.journaledModelSteps} journaled model steps + ${report.answersInHands.length} answers lost with the killed worker`,
          ratio: "-",
          target: "every journaled step's record, none twice",
          pass: usageOff === 0,
        },
        {
          name: "worker crash: kill to the killed worker's runs taken over",
          measured: takeover.length === 0 ? "no run held" : `${format(Math.max(...takeover) / 1000)} s (last run), p50 ${format(percentile(takeover, 50) / 1000)} s`,
          baseline: `lease ${LEASE_MS / 1000} s`,
          ratio: "-",
          target: "-",
          pass: takeover.length > 0,
        },
      ],
      notes: [
        `worker crash: worker pid ${report.killedPid} killed at once when ${report.endedAtKill} of ${RUNS} runs had ended, holding ${report.heldByKilled.length} runs with ${report.inFlightOfKilled} model calls in flight and ${report.answersInHands.length} answers received but not yet journaled (both asked again); all ${RUNS} ended ${format(report.seconds)} s after the first POST. The model server was asked ${report.requestedTwice.length} prompts more than once and answered ${report.answeredTwice.length} more than once besides the ${report.answersInHands.length} answers the killed worker had not journaled (not counting ${report.answersAfterKill} answers it wrote to the killed worker's connections after the kill, while the kernel tore the process down: nothing read them)${report.answeredTwiceDetail.length === 0 ? "" : ` (${report.answeredTwiceDetail.slice(0, 8).map((answer) => `"${answer.prompt}" first answered ${answer.toKilled ? "to the killed worker" : "to another worker"} ${answer.beforeKillMilliseconds} ms before the kill`).join("; ")})`}; the store's journals hold ${report.journaledTwice} model steps twice. ${report.journaledModelSteps} journaled model steps, ${report.usageRecords} usage records${usageOff === 0 ? "" : `; differing runs: ${report.usageMismatches.slice(0, 5).map((run) => `${run.runId} ${run.journaled} steps / ${run.usage} usage`).join(", ")}`}. Lease ${LEASE_MS} ms (PROSE_LEASE_MILLISECONDS).`,
      ],
    };
  } finally {
    await cluster.stop();
  }
}
