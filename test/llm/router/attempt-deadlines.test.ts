import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AttemptDeadlines } from "../../../src/llm/router/attempt-deadlines.js";

describe("attempt deadlines", () => {
  let now = 0;
  const deadlines = () => new AttemptDeadlines(() => now);

  beforeEach(() => {
    now = 0;
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stops an attempt at its timeout, never before, and says the time ran out", () => {
    const attempt = deadlines().start(undefined, 1000);
    vi.advanceTimersByTime(999);
    expect(attempt.signal.aborted).toBe(false);
    vi.advanceTimersByTime(11);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBe(true);
    expect((attempt.signal.reason as Error).name).toBe("TimeoutError");
  });

  it("lets attempts that start together share one signal, which stops none of them before its own deadline", () => {
    const shared = deadlines();
    const first = shared.start(undefined, 1000);
    now = 5;
    vi.advanceTimersByTime(5);
    const second = shared.start(undefined, 1000);
    expect(second.signal).toBe(first.signal);
    vi.advanceTimersByTime(1000);
    // The second attempt's own deadline is at 1005 ms: the shared signal waits for it.
    expect(second.signal.aborted).toBe(false);
    vi.advanceTimersByTime(5);
    expect(second.signal.aborted).toBe(true);
    expect(second.timedOut()).toBe(true);
  });

  it("gives a fresh signal after the window, to a different timeout, and past 16 attempts", () => {
    const shared = deadlines();
    const first = shared.start(undefined, 1000);
    expect(shared.start(undefined, 2000).signal).not.toBe(first.signal);
    now = 11;
    expect(shared.start(undefined, 1000).signal).not.toBe(first.signal);
    const crowd = Array.from({ length: 17 }, () => shared.start(undefined, 5000));
    expect(new Set(crowd.map((attempt) => attempt.signal)).size).toBe(2);
  });

  it("passes the caller's cancellation on, which is not a timeout", () => {
    const caller = new AbortController();
    const attempt = deadlines().start(caller.signal, 1000);
    caller.abort(new Error("Ctrl-C"));
    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe("Ctrl-C");
    expect(attempt.timedOut()).toBe(false);
    const late = deadlines().start(caller.signal, 1000);
    expect(late.signal.aborted).toBe(true);
  });

  it("keeps separate callers' attempts apart", () => {
    const shared = deadlines();
    const one = new AbortController();
    const other = new AbortController();
    const first = shared.start(one.signal, 1000);
    const second = shared.start(other.signal, 1000);
    one.abort();
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
  });

  it("leaves no timer and no listener on the caller once its attempts have ended", () => {
    const shared = deadlines();
    const caller = new AbortController();
    const listening = vi.spyOn(caller.signal, "removeEventListener");
    const attempts = Array.from({ length: 3 }, () => shared.start(caller.signal, 60_000));
    expect(vi.getTimerCount()).toBe(1);
    for (const attempt of attempts) attempt.end();
    expect(vi.getTimerCount()).toBe(0);
    expect(listening).toHaveBeenCalledTimes(1);
    // The next attempt does not join the ended group.
    expect(shared.start(caller.signal, 60_000).signal).not.toBe(attempts[0].signal);
  });

  it("lets the SDKs of 16 attempts listen to one signal without a listener-leak warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const shared = deadlines();
      for (let index = 0; index < 16; index++) shared.start(undefined, 1000).signal.addEventListener("abort", () => undefined, { once: true });
      vi.advanceTimersByTime(2000);
      // Node emits warnings on the next tick.
      await new Promise((resolve) => process.nextTick(resolve));
      await new Promise((resolve) => process.nextTick(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });
});
