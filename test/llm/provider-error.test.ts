import { describe, expect, it } from "vitest";
import {
  type ErrorContext,
  providerErrorFromFailure,
  providerErrorFromHttp,
  retryAfterSecondsFrom,
  scrubSecrets,
} from "../../src/llm/provider-error.js";

const context: ErrorContext = { providerId: "openai-main", providerType: "openai", model: "gpt-4o-mini", secrets: ["sk-secret-value-1"] };

describe("Retry-After", () => {
  const now = Date.parse("2026-11-23T12:00:00Z");
  it.each([
    [{ "retry-after": "3" }, 3],
    [{ "Retry-After": "1.5" }, 1.5],
    [{ "retry-after-ms": "250", "retry-after": "9" }, 0.25],
    [{ "retry-after": "Mon, 23 Nov 2026 12:00:20 GMT" }, 20],
    [{ "retry-after": "Mon, 23 Nov 2026 11:00:00 GMT" }, 0],
    [{ "retry-after": "soon" }, undefined],
    [{}, undefined],
  ])("reads %j as %s seconds", (headers, seconds) => {
    expect(retryAfterSecondsFrom(headers, now)).toBe(seconds);
    expect(retryAfterSecondsFrom(new Headers(headers), now)).toBe(seconds);
  });
});

describe("scrubbing secrets", () => {
  it("removes a secret in plain, URL-encoded and JSON-escaped forms", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIE+/a==\n-----END PRIVATE KEY-----\n";
    const text = `a ${pem} b ${encodeURIComponent(pem)} c ${JSON.stringify(pem)}`;
    expect(scrubSecrets(text, [pem])).toBe('a [redacted] b [redacted] c "[redacted]"');
  });

  it("ignores secrets too short to be credentials", () => {
    expect(scrubSecrets("a key of abc", ["abc", ""])).toBe("a key of abc");
  });
});

describe("messages", () => {
  it("reads as English with the fix, and keeps a retry delay only for retryable errors", () => {
    const messages = [
      providerErrorFromHttp(context, { status: 401, providerMessage: "Incorrect API key provided: sk-secret-value-1" }),
      providerErrorFromHttp(context, { status: 429, retryAfterSeconds: 2.345 }),
      providerErrorFromHttp(context, { status: 429, retryAfterSeconds: 30, kind: "quota-exhausted" }),
      providerErrorFromHttp(context, { status: 529 }),
      providerErrorFromHttp({ ...context, providerType: "vertex", providerId: "vertex-eu" }, { status: 403 }),
      providerErrorFromFailure(context, { kind: "timeout", detail: "no complete answer within 100 ms" }),
    ];
    expect(messages.map((error) => error.message)).toEqual([
      'Provider "openai-main" (openai), model "gpt-4o-mini": the key was rejected (401): check the API key of provider "openai-main". The provider said: "Incorrect API key provided: [redacted]"',
      'Provider "openai-main" (openai), model "gpt-4o-mini": rate limited (429), retry after 2.3 s.',
      'Provider "openai-main" (openai), model "gpt-4o-mini": the account has no quota left (429): check the plan and billing of provider "openai-main".',
      'Provider "openai-main" (openai), model "gpt-4o-mini": the provider is overloaded (529), retry later.',
      'Provider "vertex-eu" (vertex), model "gpt-4o-mini": access was denied (403): the service-account credentials of provider "vertex-eu" may not use model "gpt-4o-mini" (the service account needs the role roles/aiplatform.user).',
      'Provider "openai-main" (openai), model "gpt-4o-mini": the call timed out: no complete answer within 100 ms.',
    ]);
    expect(messages.map((error) => [error.isRetryable, error.retryAfterSeconds])).toEqual([
      [false, undefined],
      [true, 2.345],
      [false, undefined],
      [true, undefined],
      [false, undefined],
      [true, undefined],
    ]);
  });

  it("shortens a long provider message to one line", () => {
    const error = providerErrorFromHttp(context, { status: 400, providerMessage: `line one\n${"x".repeat(600)}` });
    expect(error.providerMessage).toHaveLength(401);
    expect(error.providerMessage?.startsWith("line one xxx")).toBe(true);
    expect(error.providerMessage?.endsWith("…")).toBe(true);
  });
});
