import type { RunLease } from "../../runtime/run-lease.js";
import { startAttempt } from "../../runtime/run-store.js";
import { attemptBase, durableRunOf, type DurableRun, type RunPlan } from "../durable-run.js";
import type { SharedRunStore } from "./shared-run-store.js";

/**
 * An attempt's record and journal in a shared run store, under a lease this process already took
 * (`SharedRunStore.acquire`): the journal holds what earlier attempts (of any worker) journaled,
 * and every write names the lease's token, so that a worker that lost the run writes nothing more.
 * The same promises as the workspace's `startDurableRun`: `finish` records how the attempt ended
 * and lets go of the lease; `abandon` lets go of it with the run still "running" (it reads
 * interrupted, and is taken over).
 */
export function storeDurableRun(store: SharedRunStore, lease: RunLease): (plan: RunPlan, now: () => Date) => Promise<DurableRun> {
  return async (plan, now) => {
    const token = lease.holder.token;
    const journal = await store.openJournal(plan.id, token);
    const record = startAttempt(attemptBase(plan, now), now(), lease);
    await store.write(record, token);
    return durableRunOf(plan.id, journal, record, now, (ended) => store.finish(ended, token));
  };
}
