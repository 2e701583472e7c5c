import { describe, expect, it } from "vitest";
import { LimiterRegistry } from "../../../src/llm/router/limiter-registry.js";
import { acquireFollowingLimits } from "../../../src/llm/router/limits-while-waiting.js";
import type { CallLimits, RouteTarget } from "../../../src/llm/router/route-target.js";

/** A call queued behind a limit follows an edit of that limit (`prose byom edit --rpm none`) while it waits. */
describe("a call waiting for its limits", () => {
  function target(limitsNow: () => CallLimits): RouteTarget {
    return {
      providerId: "openai-main",
      providerType: "openai",
      model: "gpt-4.1-mini",
      role: "primary",
      limits: { requestsPerMinute: 1 },
      open: () => Promise.reject(new Error("not opened here")),
      currentLimits: async () => limitsNow(),
    };
  }

  it("is let through when the limit is lifted, without waiting out the old one", async () => {
    const limiters = new LimiterRegistry();
    let looks = 0;
    const edited = target(() => (++looks < 3 ? { requestsPerMinute: 1 } : {}));
    const limiter = limiters.limiterFor("openai-main", edited.limits)!;
    (await limiter.acquire(0)).release();
    // The next call would wait a minute at 1 request a minute; the edit lifts the limit on the third look.
    const permit = await acquireFollowingLimits(limiter, limiters, edited, 0, undefined, 5);
    expect(looks).toBeGreaterThanOrEqual(3);
    expect(permit.waitedMilliseconds).toBeLessThan(60_000);
    permit.release();
  });

  it("keeps waiting while the limits stay, and stops looking once it has its permit", async () => {
    const limiters = new LimiterRegistry();
    let looks = 0;
    const unchanged = target(() => {
      looks += 1;
      return { concurrency: 1 };
    });
    const limiter = limiters.limiterFor("openai-main", { concurrency: 1 })!;
    const first = await limiter.acquire(0);
    let granted = false;
    const second = acquireFollowingLimits(limiter, limiters, unchanged, 0, undefined, 5).then((permit) => {
      granted = true;
      return permit;
    });
    while (looks < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(granted).toBe(false);
    first.release();
    (await second).release();
    const looksAtGrant = looks;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(looks).toBe(looksAtGrant);
  });
});
