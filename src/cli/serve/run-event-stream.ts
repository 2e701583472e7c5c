import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import { shownStatus } from "../../runtime/run-store.js";
import { questionJson } from "../../session/run-json.js";
import { principalOf, reachableRun } from "./api-routes.js";
import { contentSecurityPolicy } from "./security-headers.js";
import { endingStatuses } from "./run-manager.js";
import type { RunService } from "./run-service.js";
import type { RunEvent } from "./run-events.js";

/**
 * `GET /api/runs/{runId}/events`: Server-Sent Events (`output`, `warning`, `question`, `status`).
 * A late subscriber first gets what already happened (from memory while this server holds the
 * run, else rebuilt from run.json); `Last-Event-ID` skips what it had. The stream ends when the
 * run stops running (done, failed, waiting, interrupted).
 */
export function registerRunEvents(app: FastifyInstance, manager: RunService): void {
  app.get<{ Params: { runId: string } }>("/api/runs/:runId/events", async (request, reply) => {
    const record = await reachableRun(manager, principalOf(request), request.params.runId);
    const lastSeen = Number(request.headers["last-event-id"] ?? 0) || 0;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-content-type-options": "nosniff",
      "content-security-policy": contentSecurityPolicy,
    });
    const events = manager.eventsOf(record.id, record);
    if (events === undefined) {
      // Not held by this server: what run.json says, then the end.
      let id = 0;
      for (const line of record.output) write(raw, { id: ++id, event: "output", data: { line } }, lastSeen);
      for (const question of record.questions) write(raw, { id: ++id, event: "question", data: { runId: record.id, question: questionJson(question) } }, lastSeen);
      write(raw, { id: ++id, event: "status", data: { runId: record.id, status: shownStatus(record), ...(record.stopped === undefined ? {} : { stopped: record.stopped }) } }, lastSeen);
      raw.end();
      return;
    }
    const isEnding = (event: RunEvent) => event.event === "status" && endingStatuses.has((event.data as { status: string }).status);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      subscription.unsubscribe();
      raw.end();
    };
    const subscription = events.subscribe((event) => {
      if (closed) return;
      write(raw, event, lastSeen);
      if (isEnding(event)) close();
    });
    for (const event of subscription.past) write(raw, event, lastSeen);
    const lastStatus = subscription.past.filter((event) => event.event === "status").at(-1);
    if (lastStatus !== undefined && isEnding(lastStatus)) close();
    raw.on("close", close);
  });
}

function write(raw: ServerResponse, event: RunEvent, lastSeen: number): void {
  if (event.id <= lastSeen || raw.writableEnded || raw.destroyed) return;
  raw.write(`id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
}
