import { type AnswerBound, AnswerMeter, announcedTooLarge } from "./answer-meter.js";

/**
 * A fetch for the SDKs that take one (OpenAI, Anthropic, Google): every answer's body passes
 * through an `AnswerMeter` before the SDK reads it, streams included. A successful answer whose
 * `Content-Length` is over the bound is refused at once; otherwise the body errors as soon as
 * the bytes received pass the bound, which cancels the response and closes its connection, so
 * the answer is never held whole, parsed or journaled. An error answer (4xx, 5xx) is only
 * counted: its status says what failed.
 */
export function boundedFetch(base: typeof fetch | undefined, bound: AnswerBound): typeof fetch {
  return async (input, init) => {
    const response = await (base ?? globalThis.fetch)(input, init);
    const body = response.body;
    if (body === null) return response;
    const tooLarge = response.ok ? announcedTooLarge(bound, response.headers.get("content-length")) : undefined;
    if (tooLarge !== undefined) {
      await body.cancel(tooLarge).catch(() => undefined);
      throw tooLarge;
    }
    const eventStream = response.headers.get("content-type")?.toLowerCase().includes("text/event-stream") === true;
    const meter = new AnswerMeter(bound, response.ok, { eventStream });
    if (!eventStream && response.headers.get("content-length") !== null) {
      // Announced and within the bound (the HTTP client reads no more than announced): read it
      // whole and look at it once, which costs far less than a stream passed through per chunk.
      const bytes = new Uint8Array(await response.arrayBuffer());
      const failure = meter.take(bytes);
      if (failure !== undefined) throw failure;
      return answerOf(response, bytes);
    }
    const checked = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          const failure = meter.take(chunk);
          if (failure === undefined) controller.enqueue(chunk);
          else controller.error(failure);
        },
      }),
    );
    return answerOf(response, checked);
  };
}

/** A response with the original's status, headers and URL, and the body given. */
function answerOf(original: Response, body: BodyInit): Response {
  const answer = new Response(body, { status: original.status, statusText: original.statusText, headers: original.headers });
  Object.defineProperty(answer, "url", { value: original.url });
  return answer;
}
