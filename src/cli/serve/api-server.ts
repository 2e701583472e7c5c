import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from "fastify";
import { ApiError, errorBody } from "./api-error.js";
import { parsed, registerApiRoutes } from "./api-routes.js";
import { registerPageFiles } from "./page-files.js";
import { PageSessions, sessionIdleMilliseconds } from "./page-sessions.js";
import { repositoryPath } from "./repository-file.js";
import { authenticate, cookieValue, sessionCookieName } from "./request-auth.js";
import { sessionBody } from "./request-bodies.js";
import { RunManager } from "./run-manager.js";
import type { RunService } from "./run-service.js";
import { securityHeaders } from "./security-headers.js";
import { TokenVerifier, type Principal } from "./token-store.js";
import type { CliServices } from "../cli-services.js";
import { UsageError } from "../usage-error.js";
import type { StopSignal } from "../../session/run-cancellation.js";

/** The largest request body taken (413 beyond it). */
export const bodyLimitBytes = 1024 * 1024;

export interface ApiServerOptions {
  workspace: string;
  /** The scripts root, a real path. */
  scriptsRoot: string;
  host: string;
  port: number;
  /** Runs at once; others queue. */
  maxRuns: number;
  environment: NodeJS.ProcessEnv;
  services?: CliServices;
  /** Who runs the runs: the workers of a queue (`QueuedRunService`); this process (a `RunManager`) when not given. */
  runs?: RunService;
  /** The page's files; found from the module upwards by default. */
  webFolder?: string;
  log(line: string): void;
}

export interface ApiServer {
  url: string;
  app: FastifyInstance;
  manager: RunService;
  /** The runs resumed as it started. */
  resumed: string[];
  /** Stops the runs (as `signal` would stop a `prose run`), records them for the next start, closes. */
  close(signal?: StopSignal): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Builds the server, resumes the runs a previous one left, and listens. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const manager = options.runs ?? new RunManager({ workspace: options.workspace, scriptsRoot: options.scriptsRoot, environment: options.environment, maxRuns: options.maxRuns, log: options.log, ...(options.services ? { services: options.services } : {}) });
  const app = buildApp(manager, options);
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (problem) {
    await app.close();
    await manager.shutdown("interrupted");
    const code = (problem as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`The port ${options.port} on ${options.host} is in use.`, "Stop what listens there, or give another port (--port 8788, or --port 0 for any free one).");
    if (code === "EACCES") throw new UsageError(`I may not listen on port ${options.port} of ${options.host}.`, "Give a port above 1023 (--port 8787).");
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UsageError(`${options.host} is not an address of this machine.`, "Give one of its addresses (--host 127.0.0.1).");
    throw problem;
  }
  // Listening first: a server that cannot listen resumes nothing.
  const resumed = await manager.recover();
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    app,
    manager,
    resumed,
    close: (signal = "interrupted") =>
      (closing ??= (async () => {
        await manager.shutdown(signal);
        await app.close();
      })()),
  };
}

export function buildApp(manager: RunService, options: Pick<ApiServerOptions, "workspace" | "host" | "environment" | "webFolder" | "log">): FastifyInstance {
  const app = Fastify({ bodyLimit: bodyLimitBytes, logger: false, return503OnClosing: true, forceCloseConnections: true });
  const tokens = new TokenVerifier(options.workspace);
  const sessions = new PageSessions();
  const secureCookie = !isLoopback(options.host);
  app.decorateRequest("principal", null);
  // JSON only: a form or text body is refused (415), never read as something else.
  app.removeContentTypeParser(["text/plain"]);

  app.addHook("onRequest", async (request, reply) => {
    for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value);
    if (!request.url.startsWith("/api/") || isOpen(request)) return;
    (request as FastifyRequest & { principal: Principal }).principal = authenticate(request, tokens, sessions);
  });

  app.setErrorHandler((error: FastifyError | ApiError, _request, reply) => {
    const { status, message, fix } = describe(error);
    if (status >= 500) options.log(`error: ${message}`);
    const body = errorBody(message, fix);
    if (error instanceof ApiError && "diagnostics" in error) Object.assign(body.error, { diagnostics: (error as ApiError & { diagnostics: unknown }).diagnostics });
    return reply.code(status).type("application/json; charset=utf-8").send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(`There is no ${request.method} ${request.url.split("?")[0]!.slice(0, 200)} here.`, "See the API's paths in GET /api/openapi.json; the page is at /.")),
  );

  app.get("/api/health", async () => ({ status: "ok", runs: await manager.counts() }));

  app.get("/api/openapi.json", async (_request, reply) => reply.type("application/json; charset=utf-8").send(await readFile(schemaFile("openapi.json"), "utf8")));
  app.get("/api/run.schema.json", async (_request, reply) => reply.type("application/json; charset=utf-8").send(await readFile(schemaFile("run.schema.json"), "utf8")));

  app.post("/api/session", async (request, reply) => {
    const body = parsed(sessionBody, request.body, "body");
    const principal = tokens.verify(body.token);
    if (principal === undefined) throw new ApiError(401, "This token is not valid here: it is wrong, or it was revoked.", "Make one with `prose serve token create` on the server's machine, and log in with it.");
    const id = sessions.open(principal.tokenId, Date.now());
    reply.header("set-cookie", `${sessionCookieName}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${sessionIdleMilliseconds / 1000}${secureCookie ? "; Secure" : ""}`);
    return whoami(principal);
  });
  app.get("/api/session", async (request) => whoami((request as FastifyRequest & { principal: Principal }).principal));
  app.delete("/api/session", async (request, reply) => {
    const id = cookieValue(request.headers.cookie, sessionCookieName);
    if (id !== undefined) sessions.close(id);
    reply.header("set-cookie", `${sessionCookieName}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secureCookie ? "; Secure" : ""}`);
    return { loggedOut: true };
  });

  registerApiRoutes(app, manager, { environment: options.environment });
  registerPageFiles(app, options.webFolder);
  return app;
}

/** The requests that need no token: health, logging in and out. */
function isOpen(request: FastifyRequest): boolean {
  const path = request.url.split("?")[0];
  if (path === "/api/health") return true;
  return path === "/api/session" && (request.method === "POST" || request.method === "DELETE");
}

function whoami(principal: Principal) {
  return { tokenId: principal.tokenId, name: principal.name, agents: principal.agents };
}

function schemaFile(name: string): string {
  const path = repositoryPath(`schemas/${name}`);
  if (path === undefined) throw new ApiError(500, `The installation has no schemas/${name}.`, "Reinstall Prose.");
  return path;
}

/** Any error as a status and an English message with its fix: never a stack trace. */
function describe(error: FastifyError | ApiError): { status: number; message: string; fix: string } {
  if (error instanceof ApiError) return { status: error.status, message: error.message, fix: error.fix };
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, message: `The request body is larger than ${bodyLimitBytes / 1024 / 1024} MB.`, fix: "Send less: give large inputs as files under the scripts root (name=@path)." };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 415, message: "The request body is not JSON.", fix: "Send it with Content-Type: application/json." };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, message: "The request says it carries JSON but its body is empty.", fix: "Send a JSON object, or no Content-Type header." };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, message: "The request body is not valid JSON.", fix: "Send one JSON object, as GET /api/openapi.json describes." };
  }
  if (error instanceof SyntaxError || (error as { statusCode?: number }).statusCode === 400) {
    return { status: 400, message: `The request could not be read: ${String(error.message).slice(0, 200)}.`, fix: "Send one JSON object, as GET /api/openapi.json describes." };
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== undefined && status >= 400 && status < 500) return { status, message: `The request was refused: ${String(error.message).slice(0, 200)}.`, fix: "See GET /api/openapi.json for what each path takes." };
  return { status: 500, message: `The server could not finish this request: ${String(error.message ?? error).slice(0, 300)}.`, fix: "Try again; if it happens again, report it with the server's log (standard error)." };
}
