import { describe, expect, it } from "vitest";
import { ProviderError, type ProviderErrorKind } from "../../../src/llm/provider-error.js";
import { actionFor, defaultRetryPolicy, retryDelay } from "../../../src/llm/router/retry-policy.js";

function error(kind: ProviderErrorKind, isRetryable: boolean, retryAfterSeconds?: number): ProviderError {
  return new ProviderError({ providerId: "p", providerType: "openai", model: "m", kind, isRetryable, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) }, "failed");
}

describe("retry policy", () => {
  it("backs off with full jitter: a random wait up to a ceiling that doubles, never beyond the maximum", () => {
    const serverError = error("server", true);
    expect([1, 2, 3, 4].map((retry) => retryDelay(defaultRetryPolicy, retry, serverError, () => 0.999999))).toEqual([499, 999, 1999, 3999]);
    expect(retryDelay(defaultRetryPolicy, 1, serverError, () => 0)).toBe(0);
    expect(retryDelay(defaultRetryPolicy, 12, serverError, () => 0.5)).toBe(10_000);
  });

  it("waits at least the Retry-After, and not at all when it is longer than a call waits", () => {
    expect(retryDelay(defaultRetryPolicy, 1, error("rate-limit", true, 3), () => 0.5)).toBe(3000);
    expect(retryDelay(defaultRetryPolicy, 5, error("rate-limit", true, 0.2), () => 0.5)).toBe(4000);
    expect(retryDelay(defaultRetryPolicy, 1, error("rate-limit", true, 61), () => 0.5)).toBeUndefined();
  });

  it("retries what may pass, stops at once on what the user must fix, moves on past the rest", () => {
    for (const kind of ["rate-limit", "overloaded", "server", "timeout", "connection", "stream-cut", "malformed-response"] as const) expect(actionFor(error(kind, true))).toBe("retry");
    for (const kind of ["bad-request", "authentication", "permission", "not-found", "request-too-large"] as const) expect(actionFor(error(kind, false))).toBe("stop");
    for (const kind of ["quota-exhausted", "configuration", "unknown"] as const) expect(actionFor(error(kind, false))).toBe("next");
    expect(actionFor(error("aborted", false))).toBe("cancelled");
  });
});
