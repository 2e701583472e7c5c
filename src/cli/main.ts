import { Command, CommanderError, Option } from "commander";
import { hideSecretLookingWords } from "../byom/key-like.js";
import { checkCommand } from "./check-command.js";
import type { CliServices } from "./cli-services.js";
import { runCommand } from "./run-command.js";
import { registerRunsCommands } from "./runs-command.js";
import { registerHelpCommand } from "./help-command.js";
import { UsageError } from "./usage-error.js";
import { SessionError } from "../session/session-error.js";
import { processWriter, type Writer } from "./writer.js";
import { commanderErrorJson, wantsJsonContract } from "./json-errors.js";
import { commandErrorJson } from "../session/run-json.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * The `prose` command line. Returns the exit code; never exits the process itself. `services`
 * replaces standard input, the secret store, the current folder, fetch and the clock (tests).
 */
export async function main(argv: string[], writer: Writer = processWriter, environment: NodeJS.ProcessEnv = process.env, services: CliServices = {}): Promise<number> {
  let exitCode = 0;
  const program = new Command("prose")
    .description("Run automation scripts written in plain English.")
    .version("0.1.0")
    .exitOverride()
    // Parse errors repeat what was typed: a key typed by mistake is hidden there too.
    .configureOutput({ writeOut: (text) => writer.out(text.trimEnd()), writeErr: (text) => writer.err(hideSecretLookingWords(text.trimEnd())) });

  program
    .command("run")
    .description("Run a script.")
    .argument("[file]", "the .prose script (with --resume, the run's own by default)")
    .option("--input <name=value>", "set `the name` before the run; name=@path opens a file as a document", collect, [])
    .option("--answers <file>", "a JSON file of answers, by question id or text")
    .option("--answer <key=value>", 'an answer, as "the vendor\'s email=x@y.z" or "q-…=Email"', collect, [])
    .addOption(new Option("--json", "print one JSON object with status, output, facts, questions and error"))
    .option("--agent <name>", 'whose model providers the script uses (default "default")')
    .option("--workspace <dir>", "the BYOM workspace (default: PROSE_HOME, or .prose in the current folder)")
    .option("--project <name>", "the project: routes by its default provider, fallback chain and policy (`prose byom … --project`), and labels the run's usage")
    .option("--resume <run id>", "run a run again, replaying the steps it finished (model calls, files, answers); give new answers with it")
    .option("--concurrency <n>", "how many items of a parallel loop run at once (default 4)")
    .option("--timeout <seconds>", "stop the run after this long, cancelling the model calls in flight (exit 124)")
    .option("--files <dir>", "the files root: where the script reads, writes and learns (default: the script's folder)")
    .option("--allow-read <dir>", "let the script read this folder too (repeatable)", collect, [])
    .option("--allow-write <dir>", "let the script write (and read) this folder too (repeatable)", collect, [])
    .option("--allow-net <host>", 'let the script send web requests to this host (host or host:port; "*" for any; repeatable)', collect, [])
    .action(async (file: string | undefined, options: { input: string[]; answers?: string; answer: string[]; json?: boolean; agent?: string; workspace?: string; project?: string; resume?: string; concurrency?: string; timeout?: string; files?: string; allowRead: string[]; allowWrite: string[]; allowNet: string[] }) => {
      exitCode = await runCommand(file, { ...options, json: options.json === true, interactive: process.stdin.isTTY === true, environment, services }, writer);
    });

  program
    .command("usage")
    .description("Sum the model calls recorded in the workspace: attempts, tokens and estimated cost.")
    .option("--agent <name>", "only this agent's calls")
    .option("--project <name>", "only this project's calls")
    .option("--since <when>", "only calls since a date or time (2026-11-01), or a time ago (7d, 24h, 30m)")
    .option("--by <what>", "a row per provider, model, agent or project")
    .addOption(new Option("--json", "print one JSON object with the rows and the total"))
    .option("--workspace <dir>", "the workspace (default: PROSE_HOME, or .prose in the current folder)")
    .action(async (options: { agent?: string; project?: string; since?: string; by?: string; json?: boolean; workspace?: string }) => {
      exitCode = await (await import("./usage-command.js")).usageCommand({ ...options, json: options.json === true, environment, services }, writer);
    });

  program
    .command("check")
    .description("Report every problem in scripts without running them.")
    .argument("<files...>", "the .prose scripts")
    .option("--agent <name>", 'also check that `the model provider is "…"` names one of this agent\'s providers')
    .option("--workspace <dir>", "the BYOM workspace (default: PROSE_HOME, or .prose in the current folder)")
    .option("--project <name>", "with --agent: check against the providers a run of this project can use (its default, chain and policy)")
    .option("--files <dir>", "the files root learned files must lie in, as for run (default: each script's folder)")
    .option("--allow-read <dir>", "learned files may come from this folder too (repeatable)", collect, [])
    .option("--explain-names", "say whether each name that starts with an ordinal word (`the first name`) is a list item or a plain fact")
    .option("--strict", "warnings are errors (exit code 2), for CI")
    .option("--inputs", "list the facts each script expects from outside (the names --input takes), where each is first read")
    .option("--json", "with --inputs: print one JSON object")
    .action(async (files: string[], options: { agent?: string; project?: string; workspace?: string; files?: string; allowRead: string[]; explainNames?: boolean; strict?: boolean; inputs?: boolean; json?: boolean }) => {
      // Loaded only with --agent: reading BYOM configuration costs startup time.
      if (options.project !== undefined && options.agent === undefined) throw new UsageError("`prose check --project` checks against an agent's providers: it goes with --agent.", "Write `prose check --agent NAME --project PROJECT FILE`.");
      const providers = options.agent === undefined ? undefined : await (await import("./agent-providers.js")).agentProviders(options.agent, options.project, options.workspace, environment, services);
      for (const warning of providers?.warnings ?? []) writer.err(`warning: ${warning}`);
      const secretNames = options.agent === undefined ? undefined : await (await import("./agent-secret-names.js")).agentSecretNames(options.agent, options.workspace, environment, services, (message) => writer.err(`warning: ${message}`));
      exitCode = checkCommand(files, writer, providers, { ...options, environment, ...(services.currentDirectory === undefined ? {} : { currentDirectory: services.currentDirectory }), ...(secretNames === undefined ? {} : { secretNames }) });
    });

  program
    .command("repl")
    .description("Type Prose lines and run them at once; facts and procedures stay for the session.")
    .option("--agent <name>", 'whose model providers LLM procedures use (default "default")')
    .option("--workspace <dir>", "the BYOM workspace, where the history is kept too (default: PROSE_HOME, or .prose in the current folder)")
    .option("--files <dir>", "the files root: where the script reads, writes and learns (default: the current folder)")
    .option("--allow-read <dir>", "let the script read this folder too (repeatable)", collect, [])
    .option("--allow-write <dir>", "let the script write (and read) this folder too (repeatable)", collect, [])
    .option("--allow-net <host>", 'let web requests reach this host (host or host:port; "*" for any; repeatable)', collect, [])
    .action(async (options: { agent?: string; workspace?: string; files?: string; allowRead: string[]; allowWrite: string[]; allowNet: string[] }) => {
      exitCode = await (await import("./repl-command.js")).replCommand({ ...options, environment, services }, writer);
    });

  registerRunsCommands(program, { writer, environment, services, setExitCode: (code) => (exitCode = code) });
  registerHelpCommand(program, { writer, setExitCode: (code) => (exitCode = code) });

  program
    .command("test")
    .description("Run every *.test.prose under a folder: scripts with inputs and expectations.")
    .argument("[dir]", "a folder (searched recursively) or one .test.prose file", ".")
    .option("--record", "run the scripts' model calls for real and save them beside each test (<name>.test.journal.jsonl) for replay")
    .option("--agent <name>", 'whose model providers a recording run uses (default "default")')
    .option("--workspace <dir>", "the BYOM workspace (default: PROSE_HOME, or .prose in the current folder)")
    .option("--files <dir>", "the files root: where the script reads, writes and learns (default: the folder tested)")
    .option("--allow-read <dir>", "let the script read this folder too (repeatable)", collect, [])
    .option("--allow-write <dir>", "let the script write (and read) this folder too (repeatable)", collect, [])
    .option("--allow-net <host>", 'let the scripts\' web requests reach this host (host or host:port; "*" for any; repeatable)', collect, [])
    .action(async (dir: string, options: { record?: boolean; agent?: string; workspace?: string; files?: string; allowRead: string[]; allowWrite: string[]; allowNet: string[] }) => {
      exitCode = await (await import("./test-command.js")).testCommand(dir, { ...options, record: options.record === true, environment, services }, writer);
    });

  // The byom commands (and zod, which checks their files) load only when asked for.
  if (argv[0] === "byom") (await import("./byom/byom-command.js")).registerByomCommands(program, { writer, environment, services, setExitCode: (code) => (exitCode = code) });
  else program.command("byom").description("Bring your own model: configure the agent's model providers (see `prose byom --help`).");
  // `prose serve` (and Fastify) loads only when asked for: `prose run` never pays for it.
  if (argv[0] === "serve") (await import("./serve/serve-command.js")).registerServeCommands(program, { writer, environment, services, setExitCode: (code) => (exitCode = code) });
  else program.command("serve").description("Serve the HTTP API and the questions page (see `prose serve --help`, docs/serve.md).");
  // `prose worker` (BullMQ, ioredis) loads only when asked for.
  if (argv[0] === "worker") (await import("./worker/worker-command.js")).registerWorkerCommand(program, { writer, environment, services, setExitCode: (code) => (exitCode = code) });
  else program.command("worker").description("Run the queued runs of `prose serve --queue` (see `prose worker --help`, docs/scaling.md).");
  if (argv[0] === "secret") (await import("./secret-command.js")).registerSecretCommands(program, { writer, environment, services, setExitCode: (code) => (exitCode = code) });
  else program.command("secret").description("Named secrets a script uses as `the credential \"NAME\"` (see `prose secret --help`).");

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (problem) {
    // `prose run --json`, `prose runs … --json`: every exit path prints one JSON object on stdout too.
    const json = wantsJsonContract(argv);
    if (problem instanceof CommanderError) {
      if (problem.exitCode === 0) return 0;
      if (json) writer.out(JSON.stringify(commanderErrorJson(problem, argv)));
      return 2;
    }
    // A usage mistake, or a run the session service cannot start as asked: exit 2, with the fix.
    if (problem instanceof UsageError || problem instanceof SessionError) {
      if (json) writer.out(JSON.stringify(commandErrorJson("usage", problem.message, problem.fix)));
      writer.err(`error: ${problem.message}`);
      if (problem.fix) writer.err(`  ${problem.fix}`);
      return 2;
    }
    const message = problem instanceof Error ? problem.message : String(problem);
    if (json) writer.out(JSON.stringify(commandErrorJson("internal", `Prose hit an internal error: ${message}.`, "Please report it with the script that caused it.")));
    writer.err(`error: Prose hit an internal error: ${message}. Please report it with the script that caused it.`);
    if (environment.PROSE_DEBUG && problem instanceof Error) writer.err(problem.stack ?? "");
    return 1;
  }
}
