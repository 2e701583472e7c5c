import { describe, expect, it } from "vitest";
import { LimiterRegistry } from "../../../src/llm/router/limiter-registry.js";
import { estimateTokens, ProviderLimiter } from "../../../src/llm/router/provider-limiter.js";
import type { Permit } from "../../../src/llm/router/rate-limiter-source.js";
import { ManualClock, settle } from "../../support/test-clocks.js";

/** Starts `count` acquisitions; `started` lists, in order, when each was granted. */
function queueCalls(limiter: ProviderLimiter, clock: ManualClock, count: number, tokens = 0, signal?: AbortSignal) {
  const started: Array<{ index: number; at: number }> = [];
  const permits: Permit[] = [];
  const settled = Array.from({ length: count }, (_, index) =>
    limiter.acquire(tokens, signal).then(
      (permit) => {
        started.push({ index, at: clock.now() });
        permits.push(permit);
        return permit;
      },
      (reason: unknown) => reason,
    ),
  );
  return { started, permits, settled };
}

describe("provider limiter", () => {
  it("spreads requests evenly at the requests-per-minute limit, in order (each may start a millisecond early, never drifting)", async () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ requestsPerMinute: 600 }, clock);
    const { started } = queueCalls(limiter, clock, 5);
    await settle();
    expect(started).toEqual([{ index: 0, at: 0 }]);
    await clock.advance(1000);
    expect(started.map((entry) => entry.at)).toEqual([0, 99, 199, 299, 399]);
    expect(started.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it("holds calls beyond the concurrency until running ones end, first come first served", async () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ concurrency: 2 }, clock);
    const { started, permits } = queueCalls(limiter, clock, 5);
    await settle();
    expect(started.map((entry) => entry.index)).toEqual([0, 1]);
    expect(limiter.waiting).toBe(3);
    permits[1].release();
    permits[1].release(); // a second release changes nothing
    await settle();
    expect(started.map((entry) => entry.index)).toEqual([0, 1, 2]);
    expect(limiter.running).toBe(2);
    permits[0].release();
    permits[2].release();
    await settle();
    expect(started.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it("spends tokens per minute from estimates, corrected by the usage reported", async () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ tokensPerMinute: 6000 }, clock);
    // 1000 tokens buy 10 s at 6000 tokens a minute.
    const { started, permits } = queueCalls(limiter, clock, 3, 1000);
    await settle();
    expect(started.map((entry) => entry.at)).toEqual([0]);
    // The first call used 100 tokens only: the second may start after 1 s instead of 10.
    permits[0].release(100);
    await clock.advance(1000);
    expect(started.map((entry) => entry.at)).toEqual([0, 999]);
    await clock.advance(10_000);
    expect(started.map((entry) => entry.at)).toEqual([0, 999, 10_999]);
  });

  it("lets a cancelled waiter leave the queue without holding up the others", async () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ concurrency: 1 }, clock);
    const first = await limiter.acquire(0);
    const controller = new AbortController();
    const cancelledCall = limiter.acquire(0, controller.signal).catch((reason: unknown) => reason);
    const next = limiter.acquire(0);
    controller.abort(new Error("stopped"));
    expect(await cancelledCall).toEqual(new Error("stopped"));
    first.release();
    await expect(next).resolves.toMatchObject({ waitedMilliseconds: 0 });
    expect(limiter.waiting).toBe(0);
  });

  it("takes new limits while calls wait, and a registry shares one limiter per provider id", async () => {
    const clock = new ManualClock();
    const registry = new LimiterRegistry(clock);
    expect(registry.limiterFor("unlimited", {})).toBeUndefined();
    const limiter = registry.limiterFor("openai-main", { requestsPerMinute: 60 })!;
    expect(registry.limiterFor("openai-main", { requestsPerMinute: 60 })).toBe(limiter);
    const { started } = queueCalls(limiter, clock, 3);
    await settle();
    expect(started).toHaveLength(1);
    registry.limiterFor("openai-main", { requestsPerMinute: 6000 });
    await clock.advance(20);
    expect(started.map((entry) => entry.at)).toEqual([0, 9, 19]);
  });

  it("estimates a request's tokens from its text, images and output allowance", () => {
    const request = {
      system: "a".repeat(40),
      messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "b".repeat(400) }, { type: "image" as const, mediaType: "image/png", base64: "" }] }],
      maxOutputTokens: 50,
    };
    expect(estimateTokens(request)).toBe(10 + 100 + 1000 + 50);
  });
});
