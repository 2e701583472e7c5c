import http, { type IncomingHttpHeaders } from "node:http";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names; HTTP/2 pseudo-headers left out. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
}

export type ScriptedResponse =
  /** A complete answer, sent after an optional delay. */
  | { status: number; headers?: Record<string, string>; body: string | Uint8Array; delayMilliseconds?: number }
  /** An answer written piece by piece; with `cutAfter`, the connection is destroyed after that many pieces. */
  | { status: number; headers?: Record<string, string>; chunks: Array<string | Uint8Array>; cutAfter?: number }
  /** No answer: the connection is destroyed as soon as the request arrives. */
  | { destroy: true };

export interface ScriptedServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Answers, used in order by requests that no route handles. */
  enqueue(...responses: ScriptedResponse[]): void;
  /** A fixed handler for one path (for example a token endpoint), used for every request to it. */
  route(path: string, handler: (request: RecordedRequest) => ScriptedResponse): void;
  close(): Promise<void>;
}

export type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

/** A server on 127.0.0.1 with a free port, speaking HTTP/1.1 or cleartext HTTP/2. */
export async function startScriptedServer(options: { protocol?: "http1" | "http2" } = {}): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedResponse[] = [];
  const routes = new Map<string, (request: RecordedRequest) => ScriptedResponse>();

  const handle = async (request: AnyRequest, response: AnyResponse): Promise<void> => {
    const recorded = await record(request);
    requests.push(recorded);
    const routeHandler = routes.get(recorded.path);
    const scripted = routeHandler?.(recorded) ?? queue.shift() ?? missingScript(recorded);
    await answer(request, response, scripted);
  };
  const onRequest = (request: AnyRequest, response: AnyResponse): void => {
    handle(request, response).catch(() => destroyConnection(request));
  };

  const { port, close } = await listenOnLoopback(onRequest, options.protocol);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    route: (path, handler) => {
      routes.set(path, handler);
    },
    close,
  };
}

/**
 * An HTTP/1.1 or cleartext HTTP/2 server on 127.0.0.1 with a free port; `close` ends every
 * connection and session it holds, then the server.
 */
export async function listenOnLoopback(
  onRequest: (request: AnyRequest, response: AnyResponse) => void,
  protocol: "http1" | "http2" = "http1",
): Promise<{ port: number; close(): Promise<void> }> {
  const sessions = new Set<http2.ServerHttp2Session>();
  let server: http.Server | http2.Http2Server;
  if (protocol === "http2") {
    const http2Server = http2.createServer(onRequest);
    http2Server.on("session", (session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
    });
    server = http2Server;
  } else {
    server = http.createServer(onRequest);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const session of sessions) session.destroy();
      if (server instanceof http.Server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A body that announces JSON but breaks off in the middle. */
export function malformedJson(status = 200): ScriptedResponse {
  return { status, headers: { "content-type": "application/json" }, body: '{"id": "broken", "choices": [{"mess' };
}

/** Server-sent events, one piece per event (`data: …` lines). */
export function serverSentEvents(
  events: Array<{ event?: string; data: unknown }>,
  options: { cutAfter?: number; trailer?: string } = {},
): ScriptedResponse {
  const chunks = events.map(({ event, data }) => `${event === undefined ? "" : `event: ${event}\n`}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
  if (options.trailer !== undefined) chunks.push(options.trailer);
  return {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    chunks,
    ...(options.cutAfter === undefined ? {} : { cutAfter: options.cutAfter }),
  };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): ScriptedResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

async function record(request: AnyRequest): Promise<RecordedRequest> {
  const pieces: Buffer[] = [];
  for await (const piece of request) pieces.push(Buffer.from(piece as Uint8Array));
  const rawBody = Buffer.concat(pieces);
  const text = rawBody.toString("utf8");
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a form, for example): kept as text.
  }
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  return { method: request.method ?? "", path: url.pathname, query: url.searchParams, headers: plainHeaders(request.headers), rawBody, body };
}

function plainHeaders(headers: IncomingHttpHeaders | http2.IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return result;
}

async function answer(request: AnyRequest, response: AnyResponse, scripted: ScriptedResponse): Promise<void> {
  if ("destroy" in scripted) {
    destroyConnection(request);
    return;
  }
  const headers = scripted.headers ?? {};
  if ("body" in scripted) {
    if (scripted.delayMilliseconds !== undefined) await pause(scripted.delayMilliseconds);
    if (connectionGone(request)) return;
    (response as http.ServerResponse).writeHead(scripted.status, headers);
    response.end(scripted.body);
    return;
  }
  (response as http.ServerResponse).writeHead(scripted.status, headers);
  const limit = scripted.cutAfter ?? scripted.chunks.length;
  for (const chunk of scripted.chunks.slice(0, limit)) {
    (response as http.ServerResponse).write(chunk);
    await pause(5);
  }
  if (scripted.cutAfter === undefined) {
    response.end();
    return;
  }
  await pause(30);
  destroyConnection(request);
}

function destroyConnection(request: AnyRequest): void {
  if (request instanceof http2.Http2ServerRequest) request.stream.session?.destroy();
  else request.socket.destroy();
}

function connectionGone(request: AnyRequest): boolean {
  return request instanceof http2.Http2ServerRequest ? request.stream.destroyed : request.socket.destroyed;
}

function missingScript(request: RecordedRequest): ScriptedResponse {
  return { status: 599, headers: { "content-type": "text/plain" }, body: `no scripted response left for ${request.method} ${request.path}` };
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
