import { pipeline, Readable, Transform } from "node:stream";
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { type AnswerBound, AnswerMeter, announcedTooLarge } from "../answer-meter.js";
import type { ProviderError } from "../provider-error.js";

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * The AWS SDK sends through its own HTTP/2 handler, not fetch: this middleware sits between the
 * handler and the SDK's deserializer (the innermost place of the `deserialize` step), and passes
 * the answer's body (a Node stream, Converse's JSON or ConverseStream's event stream) through an
 * `AnswerMeter`. Past the bound the body stream fails and the HTTP/2 stream is closed, before the
 * SDK has parsed anything; a `Content-Length` over the bound is refused before reading.
 */
export function boundBedrockAnswers(client: BedrockRuntimeClient, bound: AnswerBound): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as RawResponse;
      const source = response.body;
      if (!(source instanceof Readable)) return result;
      const ok = response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300;
      const tooLarge = ok ? announcedTooLarge(bound, response.headers?.["content-length"]) : undefined;
      if (tooLarge !== undefined) {
        source.destroy();
        throw unchangedBySdk(tooLarge);
      }
      const meter = new AnswerMeter(bound, ok);
      const checked = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          const failure = meter.take(chunk);
          if (failure === undefined) callback(null, chunk);
          else callback(unchangedBySdk(failure));
        },
      });
      // On a failure, pipeline destroys the source: the HTTP/2 stream is reset, nothing more is read.
      pipeline(source, checked, () => undefined);
      response.body = checked;
      return result;
    },
    { step: "deserialize", priority: "low", name: "proseAnswerBound" },
  );
}

/**
 * The SDK's deserializer adds a line about a hidden `$response` field to the message of any
 * error without `$metadata`; ours says all there is to say.
 */
function unchangedBySdk(failure: ProviderError): ProviderError {
  Object.defineProperty(failure, "$metadata", { value: {}, enumerable: false });
  return failure;
}
