import type http from "node:http";
import { openAiCompletion } from "./openai-server.js";
import { listenOnLoopback } from "./scripted-server.js";

/** One chat completion request the server received. */
export interface ArrivedRequest {
  /** The path before `/v1/chat/completions` (`/a` for a base URL `…/a/v1`). */
  prefix: string;
  prompt: string;
  authorization: string;
  /** Requests not yet answered when this one arrived, this one included. */
  inFlightAtArrival: number;
  answered: boolean;
}

/**
 * An OpenAI-compatible server on 127.0.0.1 whose answers the test releases: a request that
 * `hold` selects waits until `release` is called; the others are answered at once. Each answer is
 * `<prefix>:<prompt>`, so a run's output says which base URL served each call.
 */
export interface HeldServer {
  url: string;
  arrived: ArrivedRequest[];
  hold: (request: ArrivedRequest) => boolean;
  /** The requests held now. */
  held(): ArrivedRequest[];
  /** Answers the held requests (all, or the first `count`). */
  release(count?: number): void;
  close(): Promise<void>;
}

export async function startHeldServer(): Promise<HeldServer> {
  const arrived: ArrivedRequest[] = [];
  const waiting: Array<{ request: ArrivedRequest; answer: () => void }> = [];
  let inFlight = 0;
  const server: HeldServer = {
    url: "",
    arrived,
    hold: () => false,
    held: () => waiting.map((entry) => entry.request),
    release(count = waiting.length) {
      for (const entry of waiting.splice(0, count)) entry.answer();
    },
    close: async () => {
      server.release();
      await closing();
    },
  };
  const onRequest = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { messages?: Array<{ role: string; content: unknown }> };
      const last = (body.messages ?? []).filter((message) => message.role === "user").at(-1)?.content;
      const prompt = typeof last === "string" ? last : Array.isArray(last) ? (last as Array<{ text?: string }>).map((part) => part.text ?? "").join("") : "";
      inFlight += 1;
      const entry: ArrivedRequest = { prefix: path.replace(/\/v1\/chat\/completions.*$/, ""), prompt, authorization: request.headers.authorization ?? "", inFlightAtArrival: inFlight, answered: false };
      arrived.push(entry);
      const answer = () => {
        inFlight -= 1;
        entry.answered = true;
        const scripted = openAiCompletion(`${entry.prefix.replace(/^\//, "")}:${prompt}`) as { status: number; headers?: Record<string, string>; body: string };
        response.writeHead(scripted.status, scripted.headers ?? {});
        response.end(scripted.body);
      };
      if (server.hold(entry)) waiting.push({ request: entry, answer });
      else answer();
    });
  };
  const { port, close: closing } = await listenOnLoopback(onRequest as never);
  server.url = `http://127.0.0.1:${port}`;
  return server;
}

export async function until(condition: () => boolean, what: string, timeoutMilliseconds = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMilliseconds) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
