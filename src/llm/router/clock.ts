/**
 * Time as the router sees it: the current time and a sleep that a cancellation ends early.
 * Tests give their own, so backoff, cooldowns and rate limits run without real waits.
 */
export interface Clock {
  /** Milliseconds since the epoch (tests may start anywhere). */
  now(): number;
  /** Resolves after the time; rejects with the signal's reason when it aborts first. */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

/** The epoch in milliseconds, with the fractions the monotonic clock gives (limits space calls by less than a millisecond). */
const origin = performance.timeOrigin;

export const systemClock: Clock = {
  now: () => origin + performance.now(),
  sleep: (milliseconds, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, milliseconds));
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
