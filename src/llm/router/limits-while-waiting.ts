import type { Permit, RateLimiter, RateLimiterSource } from "./rate-limiter-source.js";
import type { RouteTarget } from "./route-target.js";

const notWaitedFor = Symbol("not granted yet");
const notYet = Promise.resolve(notWaitedFor);

/** How often a call waiting for its permit looks at its configuration's limits again. */
export const limitsLookMilliseconds = 1000;

/**
 * Waits for a permit while following changes of the limits: every `interval` the target's limits
 * are read again (a stat of the agent file, mostly) and handed to the limiter source, which applies
 * them at once. So an edit that loosens a limit (`prose byom edit ID --rpm none`) frees the calls
 * already queued behind the old one, not only the calls that come after it.
 */
export async function acquireFollowingLimits(limiter: RateLimiter, limiters: RateLimiterSource, target: RouteTarget, tokens: number, signal: AbortSignal | undefined, interval = limitsLookMilliseconds): Promise<Permit> {
  const waiting = limiter.acquire(tokens, signal);
  const currentLimits = target.currentLimits;
  if (currentLimits === undefined) return waiting;
  // A permit granted at once (the usual case) needs no watching: no timer is made for it.
  const first = await Promise.race([waiting, notYet]);
  if (first !== notWaitedFor) return first;
  let done = false;
  const timer = setInterval(() => {
    currentLimits().then(
      (limits) => {
        if (!done) limiters.limiterFor(target.providerId, limits);
      },
      // The configuration cannot be read now: the limits stay as they were, and the call waits on.
      () => undefined,
    );
  }, interval);
  timer.unref?.();
  try {
    return await waiting;
  } finally {
    done = true;
    clearInterval(timer);
  }
}
