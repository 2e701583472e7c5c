import { mkdirSync } from "node:fs";
import type { Command } from "commander";
import { locateWorkspace } from "../../byom/workspace.js";
import { printableRedisUrl } from "../../llm/shared-limits/redis-connection.js";
import { queueUrlOf } from "../serve/queue-connection.js";
import type { SharedRunStore } from "../../session/shared-runs/shared-run-store.js";
import type { CliServices } from "../cli-services.js";
import { scriptsRootOf } from "../serve/run-manager.js";
import { firstStopSignal } from "../process-interrupts.js";
import { UsageError } from "../usage-error.js";
import type { Writer } from "../writer.js";

export interface WorkerCommandContext {
  writer: Writer;
  environment: NodeJS.ProcessEnv;
  services: CliServices;
  setExitCode(code: number): void;
}

interface WorkerOptions {
  queue: string;
  concurrency: string;
  scripts?: string;
  workspace?: string;
}

/** `prose worker --queue redis://…`: runs the queued runs of `prose serve --queue` (see docs/scaling.md). */
export function registerWorkerCommand(program: Command, context: WorkerCommandContext): void {
  program
    .command("worker")
    .description("Run the runs of a queue (prose serve --queue): any number of workers, on any machine (see docs/scaling.md).")
    .requiredOption("--queue <url>", "the queue's Redis: redis://HOST:PORT (rediss:// for TLS; the password in PROSE_REDIS_PASSWORD or the URL)")
    .option("--concurrency <n>", "runs this worker runs at once", "8")
    .option("--scripts <dir>", "the scripts root: the server's scripts, at this path on this machine (default: the current folder)")
    .option("--workspace <dir>", "the workspace of the providers and secrets (default: PROSE_HOME, or .prose in the current folder)")
    .action(async (options: WorkerOptions) => context.setExitCode(await workerCommand(options, context)));
}

async function workerCommand(options: WorkerOptions, context: WorkerCommandContext): Promise<number> {
  const { writer, environment } = context;
  const concurrency = Number(options.concurrency);
  if (!/^\d+$/.test(options.concurrency) || concurrency < 1 || concurrency > 1000) throw new UsageError(`--concurrency "${options.concurrency}" is not a whole number from 1 to 1000.`, "For example: --concurrency 8");
  const url = queueUrlOf(options.queue, environment);
  const printable = printableRedisUrl(url);
  const workspace = locateWorkspace({ option: options.workspace, environment, currentDirectory: context.services.currentDirectory ?? process.cwd() });
  mkdirSync(workspace, { recursive: true, mode: 0o700 });
  const scriptsRoot = scriptsRootOf(options.scripts ?? context.services.currentDirectory ?? process.cwd());
  // The workers share the providers' limits through the same Redis unless told another.
  const runEnvironment = environment.PROSE_REDIS_URL === undefined || environment.PROSE_REDIS_URL.trim() === "" ? { ...environment, PROSE_REDIS_URL: url } : environment;
  const [{ openRedisRunStore }, { startRunWorker }] = await Promise.all([import("../../session/shared-runs/redis-run-store.js"), import("./run-worker.js")]);
  // The store reads PROSE_LEASE_MILLISECONDS (a shorter lease: quicker takeover) before the worker sets its job locks to it.
  let store: SharedRunStore | undefined;
  try {
    store = openRedisRunStore(url, environment);
    // Redis is reached before the worker says it is ready: an unreachable one is said at once, in English.
    await store.read("run-00000000T000000-check0");
  } catch (problem) {
    await store?.close();
    writer.err(`error: ${problem instanceof Error ? problem.message : String(problem)}`);
    return 1;
  }
  let worker: Awaited<ReturnType<typeof startRunWorker>>;
  try {
    worker = await startRunWorker({ url, store, workspace, scriptsRoot, concurrency, environment: runEnvironment, services: context.services, log: (line) => writer.err(line) });
  } catch (problem) {
    // Redis went away between the store's answer and the queue's connections: said as the store says it.
    await store.close();
    writer.err(`error: ${problem instanceof Error ? problem.message : String(problem)}${problem instanceof Error && "fix" in problem ? ` ${String(problem.fix)}` : ""}`);
    return 1;
  }
  writer.err(`prose worker ${process.pid}: worker ready: taking runs from the queue at ${printable}, ${concurrency} at once (workspace ${workspace}; scripts root ${scriptsRoot}).`);
  // A second signal: out at once; the runs in flight are taken over by another worker once their leases expire.
  await firstStopSignal();
  const running = worker.running();
  writer.err(`stopping: ${running === 0 ? "no run in flight" : `waiting for ${running} run(s) in flight to end (send the signal again to leave them to another worker)`}.`);
  await worker.close();
  await store.close();
  return 0;
}
