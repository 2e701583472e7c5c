import { type Clock, systemClock } from "./clock.js";
import { ProviderLimiter } from "./provider-limiter.js";
import type { RateLimiterSource, RateLimits } from "./rate-limiter-source.js";

/**
 * The limits in this process's memory: one limiter per provider configuration (by provider id).
 * Whoever builds routers makes one per process and gives it to each, so that every run and every
 * call of the process, parallel loops included, stay within the limits together.
 */
export class LimiterRegistry implements RateLimiterSource {
  private readonly limiters = new Map<string, ProviderLimiter>();

  constructor(private readonly clock: Clock = systemClock) {}

  /** The configuration's limiter, with its limits as they are now; undefined while it has none. */
  limiterFor(providerId: string, limits: RateLimits): ProviderLimiter | undefined {
    const existing = this.limiters.get(providerId);
    if (existing !== undefined) {
      existing.update(limits);
      return existing;
    }
    if (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined && limits.concurrency === undefined) return undefined;
    const limiter = new ProviderLimiter(limits, this.clock);
    this.limiters.set(providerId, limiter);
    return limiter;
  }
}
