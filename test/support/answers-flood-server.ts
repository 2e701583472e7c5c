import type http from "node:http";
import { type AnyRequest, type AnyResponse, listenOnLoopback } from "./scripted-server.js";

/** What the server did with one answer: how much it wrote, and whether the client hung up first. */
export interface FloodRecord {
  bytesWritten: number;
  finished: boolean;
  /** The connection (or HTTP/2 stream) closed before the whole answer was written. */
  closedEarly: boolean;
}

export interface FloodAnswer {
  /** Written first, then `fillBytes` bytes of `fill`, then `suffix`. */
  prefix: string;
  fillBytes: number;
  suffix: string;
  contentType: string;
  /** Announce the length in `Content-Length` (otherwise chunked, or HTTP/2 frames without a length). */
  announceLength?: boolean;
  fill?: string;
}

export interface FloodServer {
  url: string;
  records: FloodRecord[];
  /** The next answer's end (in order): finished, or its connection closed. */
  ended(): Promise<FloodRecord>;
  close(): Promise<void>;
}

const chunkBytes = 1024 * 1024;

/**
 * A server on 127.0.0.1 that writes a huge answer a megabyte at a time, as fast as the client
 * reads it (it waits for `drain`), and stops as soon as the client closes the connection: the
 * record says whether the client hung up before the end, and how much had been written.
 */
export async function startFloodServer(answer: FloodAnswer, options: { protocol?: "http1" | "http2" } = {}): Promise<FloodServer> {
  const records: FloodRecord[] = [];
  const waiting: Array<(record: FloodRecord) => void> = [];
  let taken = 0;
  const onRequest = (request: AnyRequest, response: AnyResponse): void => {
    request.resume();
    request.on("end", () => {
      void write(response as http.ServerResponse).then((record) => {
        records.push(record);
        const next = waiting.shift();
        if (next !== undefined) {
          taken += 1;
          next(record);
        }
      });
    });
  };
  const write = async (response: http.ServerResponse): Promise<FloodRecord> => {
    const record: FloodRecord = { bytesWritten: 0, finished: false, closedEarly: false };
    let closed = false;
    response.on("close", () => {
      closed = true;
    });
    const prefix = Buffer.from(answer.prefix);
    const suffix = Buffer.from(answer.suffix);
    const headers: Record<string, string> = { "content-type": answer.contentType };
    if (answer.announceLength) headers["content-length"] = String(prefix.length + answer.fillBytes + suffix.length);
    response.writeHead(200, headers);
    const fill = Buffer.alloc(chunkBytes, answer.fill ?? "a");
    const pieces = function* () {
      yield prefix;
      for (let left = answer.fillBytes; left > 0; left -= chunkBytes) yield left >= chunkBytes ? fill : fill.subarray(0, left);
      yield suffix;
    };
    for (const piece of pieces()) {
      if (closed || response.destroyed) {
        record.closedEarly = true;
        return record;
      }
      const more = response.write(piece);
      record.bytesWritten += piece.length;
      if (!more) {
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off("drain", done);
            response.off("close", done);
            resolve();
          };
          response.on("drain", done);
          response.on("close", done);
        });
      }
    }
    if (closed || response.destroyed) {
      record.closedEarly = true;
      return record;
    }
    response.end();
    record.finished = true;
    return record;
  };

  const { port, close } = await listenOnLoopback(onRequest, options.protocol);
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    ended: () => {
      const done = records[taken];
      if (done !== undefined) {
        taken += 1;
        return Promise.resolve(done);
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    close,
  };
}

/** An OpenAI chat completion whose text is `fillBytes` letters. */
export function hugeOpenAiCompletion(fillBytes: number, announceLength = false): FloodAnswer {
  return {
    prefix: '{"id":"chatcmpl-huge","object":"chat.completion","created":1741569952,"model":"gpt-4.1-mini","choices":[{"index":0,"message":{"role":"assistant","content":"',
    fillBytes,
    suffix: '"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18}}',
    contentType: "application/json",
    announceLength,
  };
}

/** One OpenAI stream chunk whose delta is `fillBytes` letters (a stream that never ends, in effect). */
export function hugeOpenAiStream(fillBytes: number): FloodAnswer {
  return {
    prefix: 'data: {"id":"chatcmpl-huge","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-mini","choices":[{"index":0,"delta":{"content":"',
    fillBytes,
    suffix: '"},"finish_reason":null}]}\n\ndata: [DONE]\n\n',
    contentType: "text/event-stream",
  };
}

/**
 * OpenAI stream chunks of exactly 1,024 bytes each (so that the server's megabyte pieces hold
 * whole events), `fillBytes` of them in all: a stream of ordinary pieces that goes on and on.
 */
export function longOpenAiStream(fillBytes: number): FloodAnswer {
  const head = 'data: {"id":"chatcmpl-long","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-mini","choices":[{"index":0,"delta":{"content":"';
  const tail = '"},"finish_reason":null}]}\n\n';
  const event = `${head}${"b".repeat(1024 - head.length - tail.length)}${tail}`;
  return { prefix: "", fillBytes, suffix: 'data: {"id":"chatcmpl-long","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n', contentType: "text/event-stream", fill: event };
}
