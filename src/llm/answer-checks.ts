/**
 * What makes an HTTP 200 an answer: some text, a body that is the provider's API, and a size
 * within the bound on answers. Each failure is a `ProviderError` with an English message:
 *
 * - no text (no choices, `content: null`, an empty content list, no candidates or parts, a
 *   filtered answer with nothing in it): `empty-answer`, retryable, so the router tries again
 *   and then the fallbacks. A structured call's empty object is still the JSON text `{}`.
 * - a body that is not the API (an HTML page): `not-an-api-response`, not retried, because a
 *   200 page is a base URL pointing at a web site or a proxy's login page, which the next
 *   attempt would get again. The fallbacks are still tried. (A 5xx HTML page from a gateway is
 *   an HTTP error and is retried as one.)
 * - a body over the bound (10 MB by default, `PROSE_MAX_ANSWER_BYTES`): `answer-too-large`,
 *   not retried, refused while the body is read (see `bounded-fetch.ts`), so it is never
 *   parsed, kept or journaled.
 */
import { ModelResolutionError } from "./model-resolver.js";
import { type ErrorContext, type ProviderError, providerErrorFromFailure } from "./provider-error.js";

/** 10 MB: far beyond any model's output limit, far below what would strain the process. */
export const defaultMaxAnswerBytes = 10_000_000;

/** The setting's range; the upper end keeps a journaled answer well within the journal's line bound. */
const smallestMaxAnswerBytes = 1_000;
const largestMaxAnswerBytes = 25_000_000;

const units: Record<string, number> = { "": 1, b: 1, kb: 1_000, mb: 1_000_000 };

/**
 * The bound on one answer's size from `PROSE_MAX_ANSWER_BYTES` (bytes, or with KB or MB:
 * `20MB`), or the default. Fails with an English error when the value cannot be used.
 */
export function maxAnswerBytesFrom(environment: Readonly<Record<string, string | undefined>>): number {
  const given = environment.PROSE_MAX_ANSWER_BYTES?.trim();
  if (given === undefined || given === "") return defaultMaxAnswerBytes;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(given.replace(/[_,]/g, ""));
  const bytes = match === null ? Number.NaN : Math.round(Number.parseFloat(match[1] ?? "") * (units[(match[2] ?? "").toLowerCase()] ?? Number.NaN));
  if (!Number.isFinite(bytes) || bytes < smallestMaxAnswerBytes || bytes > largestMaxAnswerBytes) {
    throw new ModelResolutionError(
      `PROSE_MAX_ANSWER_BYTES must be a size from ${formatBytes(smallestMaxAnswerBytes)} to ${formatBytes(largestMaxAnswerBytes)} (bytes, or with KB or MB, such as 20MB), but it is "${given.slice(0, 40)}". Set it to such a size, or unset it for the default of ${formatBytes(defaultMaxAnswerBytes)}.`,
    );
  }
  return bytes;
}

export function emptyAnswer(context: ErrorContext, why: string): ProviderError {
  return providerErrorFromFailure(context, { kind: "empty-answer", detail: `(${why})` });
}

export function answerTooLarge(context: ErrorContext, maxBytes: number, announcedBytes?: number): ProviderError {
  const announced = announcedBytes === undefined ? "" : ` (it announced ${formatBytes(announcedBytes)})`;
  return providerErrorFromFailure(context, {
    kind: "answer-too-large",
    detail: `it passed the bound of ${formatBytes(maxBytes)}${announced} and was refused before it was read or kept; if answers this large are expected, raise PROSE_MAX_ANSWER_BYTES (at most ${formatBytes(largestMaxAnswerBytes)})`,
  });
}

/** One line of a server-sent event stream over `maxBytes`: the SDKs' line decoders slow down quadratically on such a line. */
export function eventLineTooLarge(context: ErrorContext, maxBytes: number): ProviderError {
  return providerErrorFromFailure(context, {
    kind: "answer-too-large",
    detail: `one line of its event stream passed ${formatBytes(maxBytes)} (no model streams pieces that large) and was refused before it was read or kept`,
  });
}

/** `what` describes the body: "an HTML page, starting '<!DOCTYPE html>…'", "text that is not JSON". */
export function notAnApiResponse(context: ErrorContext, what: string): ProviderError {
  return providerErrorFromFailure(context, { kind: "not-an-api-response", detail: `(${what}); check the base URL` });
}

/** The body's first characters, for a message: one line, at most 40 characters. */
export function bodyPreview(text: string): string {
  const line = text.trim().replace(/\s+/g, " ");
  return line.length > 40 ? `${line.slice(0, 40).trimEnd()}…` : line;
}

/** What a body that starts with `<` is, for a message. */
export function describeMarkup(start: string): string {
  const kind = /^<(!doctype\s+html|html|head|body)\b/i.test(start.trim()) ? "an HTML page" : "markup, not JSON";
  return `${kind}, starting '${bodyPreview(start)}'`;
}

/**
 * Why a parsed body is not an answer of the API, or undefined when it has the expected shape.
 * An SDK returns a body that is not JSON as a string; a JSON object without the expected list
 * comes from another API; `{"error": …}` with a 200 is what some proxies send for a failure.
 */
export function unexpectedBody(body: unknown, expectedList: string): { kind: "error-body"; message: string } | { kind: "not-api"; what: string } | undefined {
  if (typeof body === "string") {
    return { kind: "not-api", what: body.trim().startsWith("<") ? describeMarkup(body) : `text that is not JSON, starting '${bodyPreview(body)}'` };
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return { kind: "not-api", what: "JSON that is not an object" };
  const record = body as Record<string, unknown>;
  if (Array.isArray(record[expectedList])) return undefined;
  const error = record.error;
  const message = typeof error === "string" ? error : error !== null && typeof error === "object" ? (error as Record<string, unknown>).message : undefined;
  if (typeof message === "string" && message.trim() !== "") return { kind: "error-body", message: message.trim() };
  return { kind: "not-api", what: `a JSON object without "${expectedList}"` };
}

/** The failure for an `unexpectedBody` finding: an error body is a provider failure, retried. */
export function unexpectedBodyFailure(context: ErrorContext, finding: NonNullable<ReturnType<typeof unexpectedBody>>): ProviderError {
  if (finding.kind === "not-api") return notAnApiResponse(context, finding.what);
  const message = finding.message.replace(/\s+/g, " ");
  return providerErrorFromFailure(context, { kind: "server", detail: `the provider reported an error with status 200: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}` });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000 && bytes % 100_000 === 0) return `${bytes / 1_000_000} MB`;
  if (bytes >= 1_000 && bytes % 100 === 0 && bytes < 1_000_000) return `${bytes / 1_000} KB`;
  return `${bytes.toLocaleString("en-US")} bytes`;
}
