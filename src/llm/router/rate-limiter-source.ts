/**
 * The router's view of client-side rate limits, as interfaces, so that where the limits are kept
 * is chosen by whoever builds the router: `LimiterRegistry` keeps them in this process's memory
 * (one process shares them); an implementation over a shared store (Redis, say) lets several
 * processes share them. Waiting and releasing are asynchronous for that reason.
 */

/** A provider configuration's limits (BYOM: `--rpm`, `--tpm`, `--concurrency`); each is optional. */
export interface RateLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrency?: number;
}

/** A call's hold on its provider configuration's limits, from `acquire` until the attempt ends. */
export interface Permit {
  /** How long the call waited for it. */
  readonly waitedMilliseconds: number;
  /**
   * Ends the hold, with the tokens the call really used (undefined when it got no answer: the
   * estimate stands). The contract: the router calls it when the attempt ends, whatever the
   * outcome, and does not wait for it (a call's answer is never held up by bookkeeping). The
   * release takes effect for the next `acquire` as soon as the implementation can make it; the
   * promise should not reject (an implementation over a store it cannot reach lets its hold
   * expire there; the router only warns when it does reject). A second call changes nothing.
   */
  release(usedTokens?: number): Promise<void>;
}

/** The limits of one provider configuration: calls queue here, never fail for being over them. */
export interface RateLimiter {
  /**
   * Resolves when the call may start, its tokens estimated before it is sent; waiters are served
   * in order. Rejects with the signal's reason when the call is cancelled while it waits, and
   * with a `ModelResolutionError` (an English message the call fails with) when the limits cannot
   * be kept — a shared store that cannot be reached; never resolves without counting the call.
   */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit>;
}

/** Where the router finds each provider configuration's limiter. */
export interface RateLimiterSource {
  /**
   * The limiter of a provider configuration (by provider id), given its limits as they are now
   * (they may change while a script runs: the limiter takes the new ones); undefined while the
   * configuration has no limits. A lookup without I/O: an implementation over a shared store
   * talks to it in `acquire` and `release`. Routers given the same source share the limits.
   */
  limiterFor(providerId: string, limits: RateLimits): RateLimiter | undefined;
}
