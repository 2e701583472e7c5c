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
    const announced = announcedLength(response.headers.get("content-length"));
    if (!eventStream && announced !== undefined && announced <= bound.maxBytes) {
      // Announced and within the bound (the HTTP client reads no more than announced): the body
      // is handed on as it is, and a successful one is looked at once as the SDK reads it, which
      // costs nothing next to passing it through a stream chunk by chunk.
      return response.ok ? lookedAtWhenRead(response, new AnswerMeter(bound, true)) : response;
    }
    const meter = new AnswerMeter(bound, response.ok, { eventStream });
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

/** The `Content-Length` as a number; undefined when absent or not a plain count. */
function announcedLength(header: string | null): number | undefined {
  return header === null || !/^\d+$/.test(header.trim()) ? undefined : Number(header);
}

/**
 * The response with its `text` and `json` (what the SDKs read a whole answer with) passing the
 * text through the meter first: an HTML page fails there, before any JSON parser sees it.
 */
function lookedAtWhenRead(response: Response, meter: AnswerMeter): Response {
  const readText = response.text.bind(response);
  let read: Promise<string> | undefined;
  const text = (): Promise<string> =>
    (read ??= readText().then((whole) => {
      const failure = meter.take(new TextEncoder().encode(whole.slice(0, 256)));
      if (failure !== undefined) throw failure;
      return whole;
    }));
  Object.defineProperties(response, {
    text: { value: text },
    json: { value: async () => JSON.parse(await text()) as unknown },
  });
  return response;
}

/** A response with the original's status, headers and URL, and the body given. */
function answerOf(original: Response, body: BodyInit): Response {
  const answer = new Response(body, { status: original.status, statusText: original.statusText, headers: original.headers });
  Object.defineProperty(answer, "url", { value: original.url });
  return answer;
}
