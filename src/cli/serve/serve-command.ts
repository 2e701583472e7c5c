import { mkdirSync } from "node:fs";
import type { Command } from "commander";
import { locateWorkspace } from "../../byom/workspace.js";
import type { CliServices } from "../cli-services.js";
import { firstStopSignal } from "../process-interrupts.js";
import { UsageError } from "../usage-error.js";
import type { Writer } from "../writer.js";
import { printableRedisUrl } from "../../llm/shared-limits/redis-connection.js";
import { queueUrlOf } from "./queue-connection.js";
import { isLoopback, startApiServer } from "./api-server.js";
import type { RunService } from "./run-service.js";
import { scriptsRootOf } from "./run-manager.js";
import { createToken, listTokens, revokeToken, type StoredToken } from "./token-store.js";
import { RunStoreUnavailableError } from "../../session/shared-runs/run-store-unavailable.js";

export interface ServeCommandContext {
  writer: Writer;
  environment: NodeJS.ProcessEnv;
  services: CliServices;
  setExitCode(code: number): void;
}

interface ServeOptions {
  port: string;
  host: string;
  workspace?: string;
  scripts?: string;
  maxRuns: string;
  queue?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const workspaceHelp = "the workspace (default: PROSE_HOME, or .prose in the current folder)";

/** `prose serve` (the HTTP API and the page) and `prose serve token create|list|revoke`. */
export function registerServeCommands(program: Command, context: ServeCommandContext): void {
  // `serve`'s own options come before `token`; `token create --workspace W` is the token command's.
  program.enablePositionalOptions();
  const serve = program
    .command("serve")
    .description("Serve the HTTP API and the questions page: start runs, answer their questions, follow them (see docs/serve.md).")
    .enablePositionalOptions()
    .option("--port <port>", "the port to listen on (0: any free one)", "8787")
    .option("--host <host>", "the address to listen on (loopback unless told otherwise)", "127.0.0.1")
    .option("--workspace <dir>", workspaceHelp)
    .option("--scripts <dir>", "the scripts root: runs start only scripts under it (default: the current folder)")
    .option("--max-runs <n>", "runs running at once; the others wait in a queue", "16")
    .option("--queue <url>", "run nothing here: record new runs in Redis and queue them for `prose worker` (redis://HOST:PORT; see docs/serve.md)")
    .action(async (options: ServeOptions) => context.setExitCode(await serveCommand(options, context)));

  const token = serve.command("token").description("The API's tokens: create (shown once, stored hashed), list, revoke.");
  token
    .command("create")
    .description("Make a token; it is shown once and stored only as its SHA-256.")
    .option("--agent <name>", "limit it to this agent's runs (repeatable)", collect, [])
    .option("--name <name>", "a label, to tell tokens apart")
    .option("--workspace <dir>", workspaceHelp)
    .option("--json", "print one JSON object")
    .action(async (options: { agent: string[]; name?: string; workspace?: string; json?: boolean }) => {
      const workspace = workspaceOf(options.workspace, context);
      mkdirSync(workspace, { recursive: true, mode: 0o700 });
      const { token: text, record } = await createToken(workspace, { agents: options.agent, ...(options.name === undefined ? {} : { name: options.name }), now: new Date() });
      if (options.json) context.writer.out(JSON.stringify({ token: text, ...shown(record) }));
      else {
        context.writer.out(text);
        context.writer.err(`token ${record.id}${record.agents.length > 0 ? ` for ${record.agents.join(", ")}` : " for every agent"}: shown this once; it is stored only hashed. Send it as "Authorization: Bearer <token>", or log in with it on the page.`);
      }
    });
  token
    .command("list")
    .description("List the tokens (never their text).")
    .option("--workspace <dir>", workspaceHelp)
    .option("--json", "print one JSON object")
    .action((options: { workspace?: string; json?: boolean }) => {
      const tokens = listTokens(workspaceOf(options.workspace, context)).map(shown);
      if (options.json) return context.writer.out(JSON.stringify({ tokens }));
      if (tokens.length === 0) return context.writer.out("No tokens yet: make one with `prose serve token create`.");
      for (const entry of tokens) context.writer.out(`${entry.id}  ${entry.revokedAt === null ? "live   " : "revoked"}  ${entry.createdAt}  ${entry.agents.length === 0 ? "every agent" : entry.agents.join(",")}  ${entry.name}`.trimEnd());
    });
  token
    .command("revoke")
    .description("Revoke a token: requests with it are refused at once.")
    .argument("<id>", "the token's id, as `prose serve token list` shows it")
    .option("--workspace <dir>", workspaceHelp)
    .option("--json", "print one JSON object")
    .action(async (id: string, options: { workspace?: string; json?: boolean }) => {
      const revoked = await revokeToken(workspaceOf(options.workspace, context), id.trim(), new Date());
      if (revoked === undefined) throw new UsageError(`There is no token "${id.slice(0, 80)}".`, "See the tokens with `prose serve token list`.");
      if (options.json) context.writer.out(JSON.stringify(shown(revoked)));
      else context.writer.out(`revoked ${revoked.id}`);
    });
}

function shown(token: StoredToken) {
  return { id: token.id, name: token.name, agents: token.agents, createdAt: token.createdAt, revokedAt: token.revokedAt ?? null };
}

function workspaceOf(option: string | undefined, context: ServeCommandContext): string {
  return locateWorkspace({ option, environment: context.environment, currentDirectory: context.services.currentDirectory ?? process.cwd() });
}

async function serveCommand(options: ServeOptions, context: ServeCommandContext): Promise<number> {
  const { writer } = context;
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65535) throw new UsageError(`--port "${options.port}" is not a port number.`, "For example: --port 8787 (or 0 for any free port).");
  const maxRuns = Number(options.maxRuns);
  if (!/^\d+$/.test(options.maxRuns) || maxRuns < 1 || maxRuns > 10_000) throw new UsageError(`--max-runs "${options.maxRuns}" is not a whole number from 1 to 10000.`, "For example: --max-runs 16");
  const workspace = workspaceOf(options.workspace, context);
  mkdirSync(workspace, { recursive: true, mode: 0o700 });
  const scriptsRoot = scriptsRootOf(options.scripts ?? context.services.currentDirectory ?? process.cwd());
  if (!isLoopback(options.host)) writer.err(`warning: listening on ${options.host}, not only this machine: anyone who reaches it can try tokens. Put it behind HTTPS (the page's cookie is then marked Secure).`);
  let runs: RunService | undefined;
  let environment = context.environment;
  if (options.queue !== undefined) {
    const url = queueUrlOf(options.queue, environment);
    // The workers share the providers' limits through the same Redis unless told another: so does this process.
    if (environment.PROSE_REDIS_URL === undefined || environment.PROSE_REDIS_URL.trim() === "") environment = { ...environment, PROSE_REDIS_URL: url };
    const opened = await openQueue(url, { workspace, scriptsRoot, environment, log: (line) => writer.err(line) });
    if ("message" in opened) {
      writer.err(`error: ${opened.message}`);
      // The run store's messages say what to do already.
      if (opened.fix !== "" && !opened.message.includes("Start Redis")) writer.err(`  ${opened.fix}`);
      return 1;
    }
    runs = opened.runs;
  }
  const server = await startApiServer({ workspace, scriptsRoot, host: options.host, port, maxRuns, environment, services: context.services, log: (line) => writer.err(line), ...(runs === undefined ? {} : { runs }) });
  writer.out(`prose serve: listening on ${server.url}`);
  writer.out(`workspace: ${workspace}; scripts root: ${scriptsRoot}`);
  if (options.queue !== undefined) writer.out(`runs go to the queue at ${printableRedisUrl(options.queue)}: \`prose worker --queue ${printableRedisUrl(options.queue)}\` runs them (this server runs none).`);
  const live = listTokens(workspace).filter((token) => token.revokedAt === undefined).length;
  writer.out(live === 0 ? `No token yet: make one with \`prose serve token create --workspace ${workspace}\` (shown once), then send it as "Authorization: Bearer <token>" or log in on the page.` : `${live} token(s) can log in; make another with \`prose serve token create --workspace ${workspace}\`.`);
  if (server.resumed.length > 0) writer.out(`${runs === undefined ? "resumed" : "queued again"} ${server.resumed.length} interrupted run(s): ${server.resumed.join(", ")}`);
  const signal = await firstStopSignal();
  if (runs !== undefined) writer.err("stopping: the runs go on in the workers.");
  else {
    const { running } = await server.manager.counts();
    writer.err(`stopping: ${running === 0 ? "no run in flight" : `${running} run(s) in flight stopped as ${signal === "interrupted" ? "Ctrl-C" : "SIGTERM"} stops them; they resume when the server starts again`}.`);
  }
  await server.close(signal);
  return 0;
}

/**
 * The queue's run service: BullMQ and the store are loaded only here (with --queue). Redis that
 * cannot be reached is an English message with its fix, the server not started.
 */
async function openQueue(url: string, where: { workspace: string; scriptsRoot: string; environment: NodeJS.ProcessEnv; log(line: string): void }): Promise<{ runs: RunService } | { message: string; fix: string }> {
  const [{ openRedisRunStore }, { QueuedRunService }, { QueueUnavailableError }] = await Promise.all([import("../../session/shared-runs/redis-run-store.js"), import("./queued-run-service.js"), import("./queue-connection.js")]);
  let store: Awaited<ReturnType<typeof openRedisRunStore>> | undefined;
  try {
    store = openRedisRunStore(url, where.environment);
    return { runs: await QueuedRunService.open({ ...where, url, store }) };
  } catch (problem) {
    await store?.close();
    if (problem instanceof QueueUnavailableError) return { message: problem.message, fix: problem.fix };
    // The run store's messages say what to do.
    if (problem instanceof RunStoreUnavailableError) return { message: problem.message, fix: "" };
    throw problem;
  }
}
