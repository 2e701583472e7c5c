import { Command, Option } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { readAgentConfig, readWorkspaceSettings } from "../../byom/config-files.js";
import type { AgentConfig, ProviderConfig } from "../../byom/config-schema.js";
import { openSecretStoreFromFactory, secretStoreSettings } from "../../byom/secret-store-access.js";
import { unknownProviderMessage } from "../../byom/select-provider.js";
import { type SecretStore, SecretStoreError } from "../../byom/secrets/secret-store.js";
import { checkAgentName, defaultAgent, type Environment, locateWorkspace } from "../../byom/workspace.js";
import { setWorkspaceLockWait, withWorkspaceLock, WorkspaceChangeStopped } from "../../byom/workspace-lock.js";
import { tidyWorkspace } from "../../byom/workspace-tidy.js";
import { guardAgainstStopSignals, type StopSignal } from "./byom-signals.js";
import { ProviderError } from "../../llm/provider-error.js";
import type { CliServices } from "../cli-services.js";
import { UsageError } from "../usage-error.js";
import type { Writer } from "../writer.js";

export interface CommonOptions {
  agent?: string;
  workspace?: string;
  json?: boolean;
}

/** What every `prose byom` command is given by main. */
export interface ByomCommandContext {
  writer: Writer;
  environment: Environment;
  services: CliServices;
  setExitCode(code: number): void;
}

/** Adds --agent, --workspace and --json, which every `prose byom` command takes. */
export function withCommonOptions(command: Command): Command {
  return command
    .option("--agent <name>", `the agent whose providers to use (default "${defaultAgent}")`)
    .option("--workspace <dir>", "the workspace folder (default: PROSE_HOME, or .prose in the current folder)")
    .addOption(new Option("--json", "print one JSON object"));
}

/** One `prose byom` command run: its workspace, agent, output mode and secret store. */
export class ByomSession {
  readonly workspace: string;
  readonly agent: string;
  readonly json: boolean;
  /** Where relative paths (--workspace, --credentials-file) start. */
  readonly currentDirectory: string;
  private store: Promise<SecretStore> | undefined;
  /** Providers of this agent whose interrupted removal the tidying just finished. */
  readonly finishedRemovals: string[] = [];

  constructor(
    readonly context: ByomCommandContext,
    options: CommonOptions,
  ) {
    this.currentDirectory = context.services.currentDirectory ?? process.cwd();
    this.workspace = locateWorkspace({ option: options.workspace, environment: context.environment, currentDirectory: this.currentDirectory });
    this.agent = checkAgentName(options.agent ?? defaultAgent);
    this.json = options.json === true;
  }

  get writer(): Writer {
    return this.context.writer;
  }

  agentConfig(): Promise<AgentConfig> {
    return readAgentConfig(this.workspace, this.agent);
  }

  /** The provider with that id, or an error listing the agent's ids. */
  async provider(id: string): Promise<{ config: AgentConfig; provider: ProviderConfig }> {
    const config = await this.agentConfig();
    const provider = config.providers.find((candidate) => candidate.id === id);
    if (provider === undefined) throw new ByomError(unknownProviderMessage(id, config));
    return { config, provider };
  }

  /**
   * Runs one change of the workspace holding its lock, after tidying what a killed command left
   * (`workspace-tidy.ts`). Everything `work` reads it reads under the lock.
   */
  change<Result>(command: string, work: () => Promise<Result>): Promise<Result> {
    return withWorkspaceLock(this.workspace, command, async () => {
      const tidied = await tidyWorkspace(this.workspace, { environment: this.context.environment, store: () => this.secretStore() });
      this.warn(tidied.warnings);
      this.finishedRemovals.push(...tidied.finishedRemovals.filter((removal) => removal.agent === this.agent).map((removal) => removal.providerId));
      return work();
    });
  }

  /** `--agent A` when the agent is not the default one, for the commands a message suggests. */
  get agentOption(): string {
    return this.agent === defaultAgent ? "" : ` --agent ${this.agent}`;
  }

  secretStore(): Promise<SecretStore> {
    if (this.store === undefined) {
      const opener = this.context.services.openSecretStore ?? openSecretStoreFromFactory;
      this.store = readWorkspaceSettings(this.workspace).then((settings) => opener(secretStoreSettings(this.workspace, settings.store), this.context.environment));
    }
    return this.store;
  }

  /** Prints the result: the JSON object with --json, otherwise the text lines (on stdout). */
  print(json: unknown, lines: string[]): void {
    if (this.json) this.writer.out(JSON.stringify(json));
    else for (const line of lines) this.writer.out(line);
  }

  warn(warnings: readonly string[]): void {
    for (const warning of warnings) this.writer.err(`warning: ${warning}`);
  }
}

/**
 * Runs one command: opens the session, runs `body`, and turns known failures into an English
 * message (with the fix) and an exit code: 2 for a mistake to correct, 1 for a store or provider failure.
 */
export async function runByomCommand(context: ByomCommandContext, options: CommonOptions, body: (session: ByomSession) => Promise<number>): Promise<void> {
  const json = options.json === true;
  const waitText = context.environment.PROSE_LOCK_WAIT_SECONDS?.trim() ?? "";
  const waitSeconds = Number(waitText);
  setWorkspaceLockWait(waitText !== "" && Number.isFinite(waitSeconds) && waitSeconds >= 0 ? waitSeconds * 1000 : 30_000);
  const guard = guardAgainstStopSignals(context.writer);
  try {
    const session = new ByomSession(context, options);
    context.setExitCode(await body(session));
    stopIfSignalled(context, guard.deferred(), guard.report);
  } catch (problem) {
    if (problem instanceof WorkspaceChangeStopped) {
      stopIfSignalled(context, problem.reason as StopSignal, (signal) => guard.report(signal, { changeStopped: true }));
      return;
    }
    const known = describeFailure(problem);
    if (known === undefined) throw problem;
    if (json) context.writer.out(JSON.stringify({ error: { message: known.message, ...(known.fix === undefined ? {} : { fix: known.fix }) } }));
    context.writer.err(`error: ${known.message}`);
    if (known.fix !== undefined) context.writer.err(`  ${known.fix}`);
    context.setExitCode(known.exitCode);
    stopIfSignalled(context, guard.deferred(), guard.report);
  } finally {
    guard.dispose();
  }
}

function stopIfSignalled(context: ByomCommandContext, signal: StopSignal | undefined, report: (signal: StopSignal) => { line: string; exitCode: number }): void {
  if (signal === undefined) return;
  const { line, exitCode } = report(signal);
  context.writer.err(line);
  context.setExitCode(exitCode);
}

function describeFailure(problem: unknown): { message: string; fix?: string; exitCode: number } | undefined {
  if (problem instanceof ByomError) return { message: problem.message, ...(problem.fix === undefined ? {} : { fix: problem.fix }), exitCode: problem.exitCode };
  if (problem instanceof UsageError) return { message: problem.message, ...(problem.fix === undefined ? {} : { fix: problem.fix }), exitCode: 2 };
  if (problem instanceof SecretStoreError) return { message: problem.message, exitCode: 1 };
  if (problem instanceof ProviderError) return { message: problem.message, exitCode: 1 };
  return undefined;
}
