import { agentEmailSender } from "../session/email-sender.js";
import type { Readable, Writable } from "node:stream";
import { locateWorkspace } from "../byom/workspace.js";
import type { Answer, Question } from "../runtime/questions.js";
import type { CliServices } from "./cli-services.js";
import { confinedSourceLoader } from "./confined-files.js";
import { filesPolicyFor, type FilesFlags } from "./files-policy.js";
import { nodeRunHost } from "./node-run-host.js";
import { runWeb } from "./run-web.js";
import { opensBlock } from "./repl/block-continuation.js";
import { commandNames } from "./repl/commands.js";
import { complete } from "./repl/completion.js";
import { historyFile, loadHistory, saveHistory } from "./repl/history.js";
import { LineReader } from "./repl/line-reader.js";
import { ReplSession } from "./repl/repl-session.js";
import { runAgent } from "../session/agent-name.js";
import { runContextFor } from "../session/run-host.js";
import { routedModels } from "../session/routed-models.js";
import type { Writer } from "./writer.js";

export interface ReplOptions extends FilesFlags {
  agent?: string;
  workspace?: string;
  environment: NodeJS.ProcessEnv;
  services?: CliServices;
  /** Standard input and output unless given (tests). */
  input?: Readable;
  output?: Writable;
  /** `--allow-net HOST`…: the hosts web requests may reach (none without it). */
  allowNet?: string[];
  /** Whether to edit lines as a terminal does (completion, history); standard input's own answer unless given. */
  terminal?: boolean;
}

export const prompt = "prose> ";
export const continuationPrompt = "...... ";

/**
 * `prose repl`: one session across inputs, through the same compile → run path as `prose run`
 * (the session service's RunSession, src/session/run-session.ts). A line that opens a block goes on until a blank
 * line; questions are asked at the prompt; history is kept in the workspace's `repl-history`.
 */
export async function replCommand(options: ReplOptions, writer: Writer): Promise<number> {
  const agent = runAgent(options.agent);
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const terminal = options.terminal ?? (process.stdin.isTTY === true && input === process.stdin);
  const currentDirectory = options.services?.currentDirectory ?? process.cwd();
  const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory });
  const history = historyFile(workspace);
  // Files typed at the prompt stay inside the current folder (or --files) and the allowed folders.
  const files = filesPolicyFor(options, { root: currentDirectory, origin: "the current folder", currentDirectory, workspace, environment: options.environment });
  let session: ReplSession | undefined;
  const reader = new LineReader({
    input,
    output,
    terminal,
    history: terminal ? loadHistory(history) : [],
    onHistory: (lines) => (terminal ? saveHistory(history, lines) : undefined),
    completer: (line: string) =>
      complete(line, {
        phrasebook: () => session!.runSession.phrasebook,
        factNames: () => session!.runSession.facts.keys(),
        commands: commandNames,
      }),
  });
  // Questions are asked at the prompt; model warnings go to standard error.
  const models = routedModels({ agent, environment: options.environment, warn: (message) => process.stderr.write(`warning: ${message}\n`), ...(options.workspace === undefined ? {} : { workspace: options.workspace }), ...(options.services ? { services: options.services } : {}) });
  const web = runWeb({ allowNet: options.allowNet ?? [], workspace, agent, environment: options.environment, services: options.services ?? {} });
  const host = nodeRunHost(writer, { sayToStdout: true, files, web, askPerson: (question) => askAtPrompt(question, reader, writer) });
  // `send an email` at the prompt uses the agent's email settings, as a run does.
  const sendEmail = agentEmailSender({ agent, workspace, environment: options.environment, ...(options.services?.openSecretStore ? { openSecretStore: options.services.openSecretStore } : {}) });
  const context = runContextFor({ ...host, sendEmail }, { models: models.resolver });
  session = new ReplSession({ writer, context, currentDirectory, loadSource: confinedSourceLoader(files) });
  writer.out(`Prose ${terminal ? "REPL" : "session"} (agent "${agent}"). Type :help for commands, :quit to leave.`);
  try {
    for (;;) {
      const first = await reader.next(prompt);
      if (first === undefined) break;
      let text = first;
      if (!first.trim().startsWith(":") && opensBlock(first)) {
        for (;;) {
          const more = await reader.next(continuationPrompt);
          if (more === undefined || more.trim() === "") break;
          text += `\n${more}`;
        }
      }
      if ((await session.handle(text)) === "quit") break;
    }
  } finally {
    reader.close();
    // Every model attempt's usage record is on disk before the command returns.
    await models.flush();
  }
  return 0;
}

/** A question the run asks, answered on the next line typed: `skip` skips it, `retry` retries. */
async function askAtPrompt(question: Question, reader: LineReader, writer: Writer): Promise<Answer> {
  if (question.problem) writer.err(question.problem);
  const choices = question.choices.length > 0 ? ` (${question.choices.join(" / ")})` : "";
  const typed = await reader.next(`? ${question.text}${choices} `);
  if (typed === undefined) return { skip: true };
  const trimmed = typed.trim().toLowerCase();
  if (trimmed === "skip") return { skip: true };
  if (trimmed === "retry") return { retry: true };
  return { value: typed };
}
