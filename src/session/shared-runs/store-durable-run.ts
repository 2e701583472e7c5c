import { resolve } from "node:path";
import type { RunLease } from "../../runtime/run-lease.js";
import { endAttempt, newRunRecord, startAttempt, withoutLease } from "../../runtime/run-store.js";
import type { DurableRun, RunPlan } from "../durable-run.js";
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
    const base = plan.earlier ? { ...plan.earlier, script: resolve(plan.script), arguments: plan.arguments } : { ...newRunRecord(plan.id, resolve(plan.script), plan.arguments, now()), scriptGiven: plan.script };
    let record = startAttempt(base, now(), lease);
    await store.write(record, token);
    return {
      id: plan.id,
      journal,
      finish: async (result, ending) => {
        try {
          await journal.close();
        } finally {
          record = endAttempt(record, result, now(), ending);
          await store.finish(record, token);
        }
      },
      abandon: async () => {
        try {
          await journal.close();
        } finally {
          record = withoutLease(record);
          await store.finish(record, token);
        }
      },
    };
  };
}
