import type { ProviderIdentity, ProviderType } from "./language-model.js";
import { providerDescriptor } from "./provider-registry.js";
import { redactSecrets } from "./redact-secrets.js";

export type ProviderErrorKind =
  | "bad-request"
  | "authentication"
  | "permission"
  | "not-found"
  | "request-too-large"
  | "rate-limit"
  | "quota-exhausted"
  | "overloaded"
  | "server"
  | "timeout"
  | "connection"
  | "stream-cut"
  | "malformed-response"
  /** HTTP 200 without any text: no choices, `content: null`, an empty content list, no candidates. */
  | "empty-answer"
  /** HTTP 200 whose body is not the provider's API at all (an HTML page from a proxy or a wrong base URL). */
  | "not-an-api-response"
  /** An answer over the bound on answer size (10 MB by default), refused while it was being read. */
  | "answer-too-large"
  | "aborted"
  | "configuration"
  | "unknown";

export interface ProviderErrorDetails extends ProviderIdentity {
  kind: ProviderErrorKind;
  status?: number;
  isRetryable: boolean;
  retryAfterSeconds?: number;
  /** What the provider said, taken from its error body (secrets removed). */
  providerMessage?: string;
  /** The provider's own error code or type, such as `rate_limit_error`. */
  providerCode?: string;
}

/** One failed model call, with an English message that names the fix. */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly providerId: string;
  readonly providerType: ProviderType;
  readonly model: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly isRetryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly providerMessage: string | undefined;
  readonly providerCode: string | undefined;

  constructor(details: ProviderErrorDetails, message: string) {
    super(message);
    this.providerId = details.providerId;
    this.providerType = details.providerType;
    this.model = details.model;
    this.kind = details.kind;
    this.status = details.status;
    this.isRetryable = details.isRetryable;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.providerMessage = details.providerMessage;
    this.providerCode = details.providerCode;
  }
}

/** The identity of the call plus the secret values that must never be shown. */
export interface ErrorContext extends ProviderIdentity {
  secrets: readonly string[];
}

export interface HttpFailure {
  status: number;
  providerMessage?: string;
  providerCode?: string;
  retryAfterSeconds?: number;
  /**
   * What the body says the failure is, when the status alone misleads: a 429
   * for an account out of credit is `quota-exhausted`, a 400 for a bad key is `authentication`.
   */
  kind?: ProviderErrorKind;
}

const maximumProviderMessageLength = 400;

/** 408, 409, 429 and 5xx map to these kinds, so one rule decides for statuses and other failures alike. */
const retryableKinds = new Set<ProviderErrorKind>([
  "rate-limit",
  "overloaded",
  "server",
  "timeout",
  "connection",
  "stream-cut",
  "malformed-response",
  "empty-answer",
]);

export function providerErrorFromHttp(context: ErrorContext, failure: HttpFailure): ProviderError {
  const { status } = failure;
  const kind = failure.kind ?? kindOfStatus(status);
  const isRetryable = retryableKinds.has(kind);
  const providerMessage =
    failure.providerMessage === undefined ? undefined : cleanProviderMessage(failure.providerMessage, context.secrets);
  const details: ProviderErrorDetails = {
    ...identityOf(context),
    kind,
    status,
    isRetryable,
    retryAfterSeconds: isRetryable ? failure.retryAfterSeconds : undefined,
    providerMessage,
    providerCode: failure.providerCode === undefined ? undefined : redactSecrets(failure.providerCode, context.secrets),
  };
  return new ProviderError(details, scrubSecrets(composeMessage(context, describe(details), providerMessage), context.secrets));
}

export interface Failure {
  kind: Exclude<ProviderErrorKind, "bad-request" | "not-found" | "request-too-large" | "quota-exhausted">;
  /** Extra English detail, such as "connection reset" or the timeout. */
  detail?: string;
}

/** A failure without an HTTP status: network, timeout, cut stream, bad payload, cancellation. */
export function providerErrorFromFailure(context: ErrorContext, failure: Failure): ProviderError {
  const isRetryable = retryableKinds.has(failure.kind);
  const details: ProviderErrorDetails = { ...identityOf(context), kind: failure.kind, isRetryable };
  // A detail in parentheses qualifies the sentence; any other detail follows a colon.
  const sentence =
    failure.detail === undefined ? describe(details)
    : failure.detail.startsWith("(") ? `${describe(details)} ${failure.detail}`
    : `${describe(details)}: ${failure.detail}`;
  return new ProviderError(details, scrubSecrets(composeMessage(context, sentence, undefined), context.secrets));
}

function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 401) return "authentication";
  if (status === 402) return "quota-exhausted";
  if (status === 403) return "permission";
  if (status === 404) return "not-found";
  if (status === 408) return "timeout";
  if (status === 413) return "request-too-large";
  if (status === 429) return "rate-limit";
  if (status === 529) return "overloaded";
  if (status === 409 || status >= 500) return "server";
  return "bad-request";
}

function describe(details: ProviderErrorDetails): string {
  const { providerId, providerType, model, status } = details;
  const descriptor = providerDescriptor(providerType);
  const credential = descriptor.credential.name;
  const code = status === undefined ? "" : ` (${status})`;
  switch (details.kind) {
    case "authentication":
      return `the ${credential === "API key" ? "key" : "credentials"} ${credential === "API key" ? "was" : "were"} rejected${code}: check the ${credential} of provider "${providerId}"`;
    case "permission":
      return `access was denied${code}: the ${credential} of provider "${providerId}" may not use model "${model}"${descriptor.errorHints?.permission ?? ""}`;
    case "not-found":
      return `not found${code}: check that model "${model}" exists for provider "${providerId}"${descriptor.errorHints?.notFound ?? ""}`;
    case "request-too-large":
      return `the request is too large${code}: send less text or fewer, smaller images`;
    case "rate-limit":
      return `rate limited${code}${details.retryAfterSeconds === undefined ? ", retry later" : `, retry after ${formatSeconds(details.retryAfterSeconds)}`}`;
    case "quota-exhausted":
      return `the account has no quota left${code}: check the plan and billing of provider "${providerId}"`;
    case "overloaded":
      return `the provider is overloaded${code}, retry later`;
    case "server":
      return `the provider failed${code}, retry later`;
    case "bad-request":
      return `the request was rejected${code}: change the part of the call the provider names (its settings, sources or fields), or use another model`;
    case "timeout":
      return `the call timed out${code}`;
    case "connection":
      return "the provider could not be reached";
    case "stream-cut":
      return "the answer stream ended before the model finished";
    case "malformed-response":
      return "the provider sent an answer that could not be read";
    case "empty-answer":
      return "the model answered with no text";
    case "not-an-api-response":
      return "the provider answered with something that is not an API response";
    case "answer-too-large":
      return "the answer is too large";
    case "aborted":
      return "the call was cancelled";
    case "configuration":
      return `provider "${providerId}" is not configured correctly`;
    case "unknown":
      return "the call failed";
  }
}

function composeMessage(identity: ProviderIdentity, sentence: string, providerMessage: string | undefined): string {
  const head = `Provider "${identity.providerId}" (${identity.providerType}), model "${identity.model}": ${sentence}.`;
  return providerMessage === undefined || providerMessage === "" ? head : `${head} The provider said: "${providerMessage}"`;
}

function identityOf(context: ErrorContext): ProviderIdentity {
  return { providerId: context.providerId, providerType: context.providerType, model: context.model };
}

function formatSeconds(seconds: number): string {
  const rounded = seconds < 10 ? Math.round(seconds * 10) / 10 : Math.round(seconds);
  return `${rounded} s`;
}

function cleanProviderMessage(message: string, secrets: readonly string[]): string {
  const scrubbed = scrubSecrets(message, secrets).replace(/\s+/g, " ").trim();
  return scrubbed.length > maximumProviderMessageLength ? `${scrubbed.slice(0, maximumProviderMessageLength)}…` : scrubbed;
}

/** Replaces every form of every known secret (see redact-secrets.ts) by `[redacted]`. */
export const scrubSecrets = redactSecrets;

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Seconds to wait, from `retry-after-ms`, or `Retry-After` as seconds or as an HTTP date. */
export function retryAfterSecondsFrom(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headerValue(headers, "retry-after-ms") ?? "");
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds / 1000;
  const value = headerValue(headers, "retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}
