import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../support/built-cli.js";
import { hasRedisServer } from "../support/redis-server.js";
import { callsScript, crashRun, runNameOf, startQueueCluster, type QueueCluster } from "../support/queue-cluster.js";

/**
 * `prose serve --queue` and two `prose worker` processes (the built CLI) on a real redis-server;
 * one worker is killed with SIGKILL in the middle of 30 runs of 3 model calls each. The other
 * takes its runs over once their short lease has expired: every run ends done, no model call the
 * journal holds is made again (counted at the model server), and the store keeps one usage record
 * per journaled model step, none lost or doubled.
 */
const RUNS = 30;

describe.skipIf(!hasRedisServer)(`a worker killed mid-run${hasRedisServer ? "" : " (skipped: redis-server is not installed; apt-get install redis-server)"}`, () => {
  let cluster: QueueCluster | undefined;

  beforeAll(async () => {
    buildIfStale();
    cluster = await startQueueCluster({ workers: 2, concurrency: 4, scripts: { "calls.prose": callsScript(3) }, modelDelayMilliseconds: 200, leaseMilliseconds: 2000 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it("has its runs taken over: none lost, no journaled call repeated, usage neither lost nor doubled", async () => {
    const running = cluster!;
    const report = await crashRun(running, { runs: RUNS, killWhenEnded: RUNS / 3, timeoutMilliseconds: 60_000 });
    const context = `${JSON.stringify({ ...report, heldByKilled: report.heldByKilled.length })}\n${running.logs()}`;

    // The kill caught runs mid-way.
    expect(report.heldByKilled.length, context).toBeGreaterThan(0);
    expect(report.takeoverMilliseconds, context).toHaveLength(report.heldByKilled.length);

    expect(report.notDone, context).toEqual([]);
    expect(report.done).toBe(RUNS);
    expect(report.answeredTwice, context).toEqual([]);
    expect(report.journaledTwice, context).toBe(0);
    expect(report.usageMismatches, context).toEqual([]);
    expect(report.journaledModelSteps).toBe(RUNS * 3);
    // One usage record per answer a worker read: every journaled one, and at most those the killed worker had not journaled yet.
    expect(report.usageRecords).toBeGreaterThanOrEqual(RUNS * 3);
    expect(report.usageRecords).toBeLessThanOrEqual(RUNS * 3 + report.answersInHands.length);

    // Only the killed worker's runs asked anything twice: the calls it had in flight.
    for (const prompt of report.requestedTwice) expect(report.heldNames, context).toContain(runNameOf(prompt));
    expect(report.requestedTwice.length, context).toBeLessThanOrEqual(report.inFlightOfKilled + report.answersInHands.length);

    // The API shows each taken-over run as the store has it, with its output.
    const names = new Map(report.heldByKilled.map((id, index) => [id, report.heldNames[index]]));
    for (const id of report.heldByKilled) {
      const run = await running.run(id);
      expect(run.status).toBe("done");
      expect(run.output).toEqual([`done ${names.get(id)}`]);
    }
  }, 120_000);
});
