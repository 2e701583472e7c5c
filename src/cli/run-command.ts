import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatLocation } from "../syntax/span.js";
import { hasErrors } from "../syntax/diagnostic.js";
import { answerToFact } from "../runtime/answer-values.js";
import { runProgram, type RunInput, type RunResult } from "../runtime/run-program.js";
import { Fact } from "../runtime/values.js";
import { openDocument } from "../../stdlib/files.js";
import { readAnswers } from "./answers.js";
import { loadProgram } from "./load-program.js";
import { nodeRunContext } from "./node-run-context.js";
import { showDiagnostics, showRunError } from "./show-problems.js";
import { UsageError } from "./usage-error.js";
import type { Writer } from "./writer.js";
import type { ModelResolver } from "../llm/model-resolver.js";
import { ByomError } from "../byom/byom-error.js";
import { checkAgentName, defaultAgent, locateWorkspace } from "../byom/workspace.js";
import type { CliServices } from "./cli-services.js";

export interface RunOptions {
  input: string[];
  answers?: string;
  answer: string[];
  json: boolean;
  interactive: boolean;
  /** The standard variables (OPENAI_API_KEY, …) for types the agent does not configure, PROSE_HOME, the store's settings. */
  environment: NodeJS.ProcessEnv;
  /** Whose BYOM providers the script's LLM procedures call (default "default"). */
  agent?: string;
  workspace?: string;
  /** A free label added to the run's usage, for cost attribution. */
  project?: string;
  services?: CliServices;
}

const exitCodes = { done: 0, failed: 1, waiting: 3 } as const;

/** `prose run FILE`: exit 0 done, 1 failed, 2 invalid script or usage, 3 waiting on questions. */
export async function runCommand(file: string, options: RunOptions, writer: Writer): Promise<number> {
  const program = loadProgram(file);
  const answersText = options.answers === undefined ? undefined : await readAnswersFile(options.answers);
  const answers = readAnswers(answersText, options.answers, options.answer);
  if (hasErrors(program.diagnostics)) {
    if (options.json) {
      const first = program.diagnostics.find((diagnostic) => diagnostic.severity === "error")!;
      writer.out(JSON.stringify({ status: "failed", output: [], facts: {}, questions: [], error: { message: first.message, at: formatLocation(first.span) } }));
    }
    showDiagnostics(program.diagnostics, program, writer);
    return 2;
  }
  const agent = agentOf(options);
  const context = nodeRunContext(writer, { interactive: options.interactive, sayToStdout: !options.json });
  context.models = byomModels(agent, options);
  const inputs = await Promise.all(options.input.map((pair) => parseInput(pair, context)));
  const result = await runProgram(program, context, answers, inputs);
  if (options.json) writer.out(JSON.stringify(jsonOf(result, { agent, ...(options.project === undefined ? {} : { project: options.project }) })));
  else report(result, file, writer);
  if (result.error) showRunErrorIfText(result, program, writer, options.json);
  return exitCodes[result.status];
}

function showRunErrorIfText(result: RunResult, program: Parameters<typeof showRunError>[1], writer: Writer, json: boolean): void {
  if (!json && result.error) showRunError(result.error, program, writer);
}

function jsonOf(result: RunResult, labels: { agent: string; project?: string }): object {
  const error = result.error ? { message: result.error.message, at: result.error.at, ...(result.error.fix ? { fix: result.error.fix } : {}) } : null;
  return { status: result.status, output: result.output, facts: result.facts, questions: result.questions, error, usage: { ...labels, ...result.usage } };
}

function report(result: RunResult, file: string, writer: Writer): void {
  if (result.status !== "waiting") return;
  const count = result.questions.length;
  writer.err(`waiting: the run needs ${count === 1 ? "an answer" : `${count} answers`} to go on.`);
  for (const question of result.questions) {
    writer.err(`  ${question.id} (${question.kind}) ${question.text}  [${question.at}]`);
    if (question.choices.length > 0) writer.err(`    choices: ${question.choices.join(", ")}`);
    if (question.problem) writer.err(`    ${question.problem}`);
  }
  const example = result.questions[0];
  const key = example.subject ?? example.id;
  writer.err(`answer and run again: prose run ${file} --answer "${key}=…"  (or --answers answers.json)`);
}

export function agentOf(options: Pick<RunOptions, "agent">): string {
  try {
    return checkAgentName(options.agent ?? defaultAgent);
  } catch (problem) {
    if (problem instanceof ByomError) throw new UsageError(problem.message, problem.fix);
    throw problem;
  }
}

/**
 * Models from the agent's BYOM providers, and from the standard environment variables for the
 * types it does not configure; loaded only when a script calls a model.
 */
export function byomModels(agent: string, options: Pick<RunOptions, "environment" | "workspace" | "services">): ModelResolver {
  let resolver: ModelResolver | undefined;
  return {
    resolve: async (choice) => {
      if (!resolver) {
        const { ByomModelResolver } = await import("../byom/byom-model-resolver.js");
        const services = options.services ?? {};
        const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory: services.currentDirectory ?? process.cwd() });
        resolver = new ByomModelResolver({
          workspace,
          agent,
          environment: options.environment,
          ...(services.openSecretStore === undefined ? {} : { openSecretStore: services.openSecretStore }),
          ...(services.fetch === undefined ? {} : { adapterOptions: { fetch: services.fetch } }),
        });
      }
      return resolver.resolve(choice);
    },
  };
}

async function readAnswersFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new UsageError(`I can't read the answers file ${path}.`, "Check the path.");
  }
}

async function parseInput(pair: string, context: ReturnType<typeof nodeRunContext>): Promise<RunInput> {
  const equals = pair.indexOf("=");
  if (equals <= 0) throw new UsageError(`--input "${pair}" ${equals < 0 ? 'has no "="' : 'names nothing before "="'}.`, 'Write it as --input "customer=John Smith" or --input invoice=@invoice.txt.');
  const name = pair.slice(0, equals);
  const value = pair.slice(equals + 1);
  if (!value.startsWith("@")) return { name, value: answerToFact(value) };
  const path = resolve(value.slice(1));
  const document = await openDocument(
    {
      context,
      resolvePath: (written) => resolve(written),
      fail: (message, fix) => {
        throw new UsageError(`--input ${name}: ${message}`, fix);
      },
    },
    path,
  );
  return { name, value: new Fact(document) };
}
