import type { FastifyInstance, FastifyRequest } from "fastify";
import type { z } from "zod";
import { isRunId, shownStatus, type RunRecord } from "../../runtime/run-store.js";
import { questionJson, runListJson, runRecordJson, runSummaryJson, type RunJson } from "../../session/run-json.js";
import { readAnswers } from "../answers.js";
import { UsageError } from "../usage-error.js";
import { ApiError } from "./api-error.js";
import { mayReach } from "./request-auth.js";
import { answersBody, emptyQuery, newRunBody, questionsQuery, runsQuery, usageQuery } from "./request-bodies.js";
import { registerRunEvents } from "./run-event-stream.js";
import type { RunService } from "./run-service.js";
import type { Principal } from "./token-store.js";

/** Parses a body or query with its strict schema; a refusal is a 400 naming each problem. */
export function parsed<Schema extends z.ZodType>(schema: Schema, value: unknown, what: "body" | "query"): z.infer<Schema> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => (issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.map((key) => `"${key.slice(0, 60)}"`).join(", ")}` : `${issue.path.length === 0 ? `the ${what}` : `"${issue.path.join(".")}"`}: ${issue.message}`))
    .join("; ");
  throw new ApiError(400, `The request's ${what} does not fit: ${issues}.`, "See the request's shape in GET /api/openapi.json.");
}

export function principalOf(request: FastifyRequest): Principal {
  return (request as FastifyRequest & { principal: Principal }).principal;
}

function agentOfRecord(record: RunRecord): string {
  return record.arguments.agent ?? "default";
}

/** The run, when the token may see it; otherwise 404, as for a run that does not exist (another agent's runs are not revealed). */
export async function reachableRun(runs: RunService, principal: Principal, id: string): Promise<RunRecord> {
  const record = isRunId(id) ? await runs.read(id) : undefined;
  if (record === undefined || !mayReach(principal, agentOfRecord(record))) throw new ApiError(404, `There is no run "${id.slice(0, 80)}" this token may see.`, "See the runs with GET /api/runs.");
  return record;
}

/** The run as the JSON contract shows it (as `prose runs show --json`), with what it said so far while it runs. */
export async function runView(runs: RunService, record: RunRecord): Promise<RunJson> {
  const view = runRecordJson(record, shownStatus(record), await runs.usageOf(record));
  const live = runs.liveOutput(record.id);
  // A resumed run says its earlier lines again as it replays them: until it has, run.json's are longer (output never shrinks).
  if (live !== undefined && live.length > view.output.length) view.output = [...live];
  return view;
}


/** The one agent a filter may name: a token limited to agents names one of them (or its only one). */
function agentFilter(principal: Principal, asked: string | undefined): string | undefined {
  if (asked !== undefined && !mayReach(principal, asked)) throw new ApiError(403, `This token may not see the agent "${asked.slice(0, 100)}".`, `It is limited to ${principal.agents.join(", ")}.`);
  if (asked === undefined && principal.agents.length === 1) return principal.agents[0];
  return asked;
}

export function registerApiRoutes(app: FastifyInstance, manager: RunService, options: { environment: NodeJS.ProcessEnv }): void {
  app.post("/api/runs", async (request, reply) => {
    const principal = principalOf(request);
    const body = parsed(newRunBody, request.body, "body");
    const agent = body.agent ?? (principal.agents.length > 0 ? principal.agents[0] : undefined);
    if (agent !== undefined && !mayReach(principal, agent)) throw new ApiError(403, `This token may not start runs for the agent "${agent.slice(0, 100)}".`, `It is limited to ${principal.agents.join(", ")}.`);
    const inputs = body.inputs === undefined ? [] : Array.isArray(body.inputs) ? body.inputs : Object.entries(body.inputs).map(([name, value]) => `${name}=${String(value)}`);
    const runId = await manager.start({
      script: body.script,
      inputs,
      ...(agent === undefined ? {} : { agent }),
      ...(body.project === undefined ? {} : { project: body.project }),
      ...(body.concurrency === undefined ? {} : { concurrency: body.concurrency }),
      ...(body.timeoutSeconds === undefined ? {} : { timeoutSeconds: body.timeoutSeconds }),
    });
    const record = await reachableRun(manager, principal, runId);
    // Just recorded: no model call yet, so no usage record to read.
    return reply.code(202).header("location", `/api/runs/${runId}`).send(runRecordJson(record, shownStatus(record), undefined));
  });

  app.get("/api/runs", async (request) => {
    const principal = principalOf(request);
    const query = parsed(runsQuery, request.query, "query");
    const agent = agentFilter(principal, query.agent);
    const runs = (await manager.list())
      .filter((record) => mayReach(principal, agentOfRecord(record)) && (agent === undefined || agentOfRecord(record) === agent))
      .map((record) => runSummaryJson(record, shownStatus(record)))
      .filter((run) => query.status === undefined || run.status === query.status);
    return runListJson(manager.workspace, runs);
  });

  app.get<{ Params: { runId: string } }>("/api/runs/:runId", async (request) => {
    parsed(emptyQuery, request.query, "query");
    return runView(manager, await reachableRun(manager, principalOf(request), request.params.runId));
  });

  app.post<{ Params: { runId: string } }>("/api/runs/:runId/answers", async (request, reply) => {
    const principal = principalOf(request);
    const record = await reachableRun(manager, principal, request.params.runId);
    const body = parsed(answersBody, request.body, "body");
    let book;
    try {
      book = Array.isArray(body.answers) ? readAnswers(undefined, undefined, body.answers) : readAnswers(JSON.stringify(body.answers), "in the request", []);
    } catch (problem) {
      if (problem instanceof UsageError) throw new ApiError(400, problem.message.replace("--answer", "The answer"), 'Give answers as {"answers": {"q-1a2b3c4d5e6f": "Email", "the vendor\'s email": "x@y.z"}}.');
      throw problem;
    }
    const keys = Array.isArray(body.answers) ? body.answers.length : Object.keys(body.answers).length;
    const warnings = await manager.answer(record.id, book, keys);
    const view = await runView(manager, await reachableRun(manager, principal, record.id));
    return reply.code(202).send({ ...view, warnings });
  });

  app.post<{ Params: { runId: string } }>("/api/runs/:runId/cancel", async (request) => {
    const principal = principalOf(request);
    const record = await reachableRun(manager, principal, request.params.runId);
    if (request.body !== undefined && request.body !== null && (typeof request.body !== "object" || Object.keys(request.body).length > 0)) throw new ApiError(400, "Cancel takes no body.", "Send POST /api/runs/{runId}/cancel with an empty body (or {}).");
    await manager.cancel(record.id);
    return runView(manager, await reachableRun(manager, principal, record.id));
  });

  registerRunEvents(app, manager);

  app.get("/api/questions", async (request) => {
    const principal = principalOf(request);
    const query = parsed(questionsQuery, request.query, "query");
    const agent = agentFilter(principal, query.agent);
    const questions = [];
    for (const record of await manager.list()) {
      if (!mayReach(principal, agentOfRecord(record)) || (agent !== undefined && agentOfRecord(record) !== agent)) continue;
      if (manager.isHeld(record.id) || shownStatus(record) !== "waiting") continue;
      for (const question of record.questions) {
        questions.push({
          runId: record.id,
          script: record.scriptGiven ?? record.script,
          agent: agentOfRecord(record),
          project: record.arguments.project ?? null,
          askedAt: record.timings.updatedAt,
          question: questionJson(question),
        });
      }
    }
    return { questions };
  });

  app.get("/api/usage", async (request, reply) => {
    const principal = principalOf(request);
    const query = parsed(usageQuery, request.query, "query");
    if (principal.agents.length > 1 && query.agent === undefined) throw new ApiError(403, "This token is limited to several agents: name one.", `Add ?agent= one of ${principal.agents.join(", ")}.`);
    const agent = agentFilter(principal, query.agent);
    const lines: string[] = [];
    const { usageCommand } = await import("../usage-command.js");
    try {
      await usageCommand(
        { json: true, workspace: manager.workspace, environment: options.environment, ...(manager.usageRecords === undefined ? {} : { records: (query) => manager.usageRecords!(query) }), ...(agent === undefined ? {} : { agent }), ...(query.project === undefined ? {} : { project: query.project }), ...(query.since === undefined ? {} : { since: query.since }), ...(query.by === undefined ? {} : { by: query.by }) },
        { out: (line) => lines.push(line), err: () => undefined },
      );
    } catch (problem) {
      if (problem instanceof UsageError) throw new ApiError(400, problem.message.replace("--by", "by").replace("--since", "since"), (problem.fix ?? "").replace("prose usage --by", "?by=").replace(/--since /g, "?since="));
      throw problem;
    }
    return reply.header("content-type", "application/json; charset=utf-8").send(lines[0]);
  });
}
