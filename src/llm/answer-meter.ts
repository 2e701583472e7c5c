import { answerTooLarge, describeMarkup, eventLineTooLarge, notAnApiResponse } from "./answer-checks.js";
import type { ErrorContext, ProviderError } from "./provider-error.js";

/** One call's bound on answer size, and who is called (for the messages). */
export interface AnswerBound {
  context: ErrorContext;
  maxBytes: number;
}

const lessThan = 0x3c;
const newline = 0x0a;

/**
 * The longest line of a server-sent event stream: the SDKs' line decoders copy and scan the
 * whole pending line for each chunk that arrives, so their cost grows with the square of a line's
 * length (10 MB in one line takes seconds); a model's pieces are a few hundred bytes.
 */
export const maxEventLineBytes = 2_000_000;

/**
 * Looks at an answer's bytes as they arrive, before any parser does: counts them against the
 * bound, and, for a successful answer, checks that the body does not start with `<` (an HTML
 * page is never an API answer: JSON starts with `{`, a server-sent event with a field name, an
 * AWS event stream with a binary length). In a server-sent event stream, each line is bounded
 * too (`maxEventLineBytes`). Used by the fetch of the SDKs that take one and by a middleware of
 * the AWS SDK.
 */
export class AnswerMeter {
  private received = 0;
  private looking: boolean;
  /** The bytes since the last newline, for an event stream; undefined for any other body. */
  private lineBytes: number | undefined;

  constructor(
    private readonly bound: AnswerBound,
    /** True for a 2xx answer: an error answer's body is the SDK's to read, only counted. */
    checkStart: boolean,
    options: { eventStream?: boolean } = {},
  ) {
    this.looking = checkStart;
    this.lineBytes = options.eventStream === true ? 0 : undefined;
  }

  /** The failure this chunk brings, or undefined to pass it on. */
  take(chunk: Uint8Array): ProviderError | undefined {
    this.received += chunk.byteLength;
    if (this.received > this.bound.maxBytes) return answerTooLarge(this.bound.context, this.bound.maxBytes);
    if (this.lineBytes !== undefined) {
      const first = chunk.indexOf(newline);
      const line = first === -1 ? this.lineBytes + chunk.byteLength : this.lineBytes + first;
      if (line > maxEventLineBytes) return eventLineTooLarge(this.bound.context, maxEventLineBytes);
      this.lineBytes = first === -1 ? line : chunk.byteLength - chunk.lastIndexOf(newline) - 1;
    }
    if (!this.looking) return undefined;
    const first = chunk.findIndex((byte) => !isWhitespace(byte));
    if (first === -1) return undefined;
    this.looking = false;
    if (chunk[first] !== lessThan) return undefined;
    return notAnApiResponse(this.bound.context, describeMarkup(new TextDecoder().decode(chunk.subarray(first, first + 200))));
  }
}

/** A `Content-Length` over the bound, refused before a byte of the body is read. */
export function announcedTooLarge(bound: AnswerBound, contentLength: string | null | undefined): ProviderError | undefined {
  const announced = contentLength === null || contentLength === undefined || !/^\d+$/.test(contentLength.trim()) ? undefined : Number(contentLength);
  return announced !== undefined && announced > bound.maxBytes ? answerTooLarge(bound.context, bound.maxBytes, announced) : undefined;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0xef || byte === 0xbb || byte === 0xbf;
}
