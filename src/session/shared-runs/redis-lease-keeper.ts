import type { RedisConnection } from "../../llm/shared-limits/redis-connection.js";
import { leaseTiming } from "../../runtime/run-lease.js";
import { renewScript, runKeys } from "./redis-run-scripts.js";
import type { RunStoreUnavailableError } from "./run-store-unavailable.js";

interface HeldLease {
  token: string;
  onLost: (() => void) | undefined;
  /** The renewal on its way to Redis: one at a time per lease. */
  renewing: boolean;
}

/**
 * The leases one store holds, renewed together by one timer (unref'd: it keeps no process alive)
 * every `leaseTiming.renewMilliseconds`, each with a fenced PEXPIRE (sent together: ioredis
 * pipelines the commands of one turn of the event loop). A renewal that finds the lease another's
 * stops renewing it and tells its `onLost`, once. A renewal that cannot reach Redis is tried again
 * at the next turn: if Redis stays away past the lease, the next renewal finds it gone.
 */
export class RedisLeaseKeeper {
  private readonly held = new Map<string, HeldLease>();
  private timer: NodeJS.Timeout | undefined;
  /** Renewals Redis accepted, for tests. */
  renewals = 0;

  constructor(private readonly connection: RedisConnection<RunStoreUnavailableError>) {}

  hold(id: string, token: string, onLost?: () => void): void {
    this.held.set(id, { token, onLost, renewing: false });
    this.schedule();
  }

  /** Stops renewing the run's lease (when held with `token`). */
  forget(id: string, token: string): void {
    if (this.held.get(id)?.token === token) this.held.delete(id);
    if (this.held.size === 0) this.stop();
  }

  /** Whether this store renews the run's lease held with `token`. */
  holds(id: string, token: string): boolean {
    return this.held.get(id)?.token === token;
  }

  get size(): number {
    return this.held.size;
  }

  /** Renews every lease held now (the timer's work; tests call it too). */
  async renewAll(): Promise<void> {
    const renewals: Promise<void>[] = [];
    for (const [id, lease] of this.held) {
      if (lease.renewing) continue;
      lease.renewing = true;
      const renewal = this.connection
        .run((redis) => redis.eval(renewScript, 1, runKeys(id).lease, lease.token, String(leaseTiming.leaseMilliseconds)) as Promise<number>)
        .then((kept) => {
          if (kept === 1) {
            this.renewals += 1;
            return;
          }
          if (this.held.get(id) !== lease) return;
          this.forget(id, lease.token);
          lease.onLost?.();
        })
        .catch(() => {
          // Redis is away: the next turn tries again; past the lease, it finds the lease gone.
        })
        .finally(() => {
          lease.renewing = false;
        });
      renewals.push(renewal);
    }
    await Promise.all(renewals);
  }

  /** Stops the timer (the store closes); the leases then expire in Redis. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  clear(): void {
    this.held.clear();
    this.stop();
  }

  /** The next turn, `renewMilliseconds` from now as it is then (tests shorten it with `setLeaseTiming`). */
  private schedule(): void {
    if (this.timer || this.held.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.renewAll();
      this.schedule();
    }, leaseTiming.renewMilliseconds);
    this.timer.unref();
  }
}
