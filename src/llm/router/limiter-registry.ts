import { type Clock, systemClock } from "./clock.js";
import { ProviderLimiter, type RateLimits } from "./provider-limiter.js";

/**
 * One limiter per provider configuration (by provider id), shared by every run and every call
 * in the process, parallel loops included, so that together they stay within the limits.
 */
export class LimiterRegistry {
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

/** The registry every run of the process shares. */
export const processLimiters = new LimiterRegistry();
