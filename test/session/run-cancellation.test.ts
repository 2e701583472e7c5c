import { afterEach, describe, expect, it } from "vitest";
import { runCancellation } from "../../src/session/run-cancellation.js";

/**
 * A run's stop signal is shared by every call in flight and every call waiting for its provider's
 * limits (a parallel loop with --concurrency 32 against a provider limited to 60 requests a
 * minute has dozens waiting): listening to it from many places is its purpose, not a leak, so
 * Node's "possible memory leak" warning must not be printed to the person running the script.
 */
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(warning.name);
afterEach(() => {
  process.off("warning", onWarning);
  warnings.length = 0;
});

describe("a run's stop signal", () => {
  it("takes a listener from each of many waiting calls without Node's leak warning", async () => {
    process.on("warning", onWarning);
    const cancellation = runCancellation({});
    const listeners = Array.from({ length: 64 }, () => () => undefined);
    for (const listener of listeners) cancellation.signal.addEventListener("abort", listener, { once: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(warnings).not.toContain("MaxListenersExceededWarning");
    for (const listener of listeners) cancellation.signal.removeEventListener("abort", listener);
    cancellation.dispose();
  });
});
