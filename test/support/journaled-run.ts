import { compileSource } from "../../src/session/compile-script.js";
import { runCompiled } from "../../src/session/run-script.js";
import { EnvironmentModelResolver, type Environment } from "../../src/llm/environment-resolver.js";
import type { Journal } from "../../src/runtime/journal.js";
import { AnswerBook, type Answer } from "../../src/runtime/questions.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import type { RunResult } from "../../src/runtime/run-program.js";
import { openAiCompletion } from "./openai-server.js";
import type { ScriptedResponse, ScriptedServer, RecordedRequest } from "./scripted-server.js";

export interface JournaledRunOptions {
  journal?: Journal;
  environment?: Environment;
  answers?: Record<string, Answer>;
  /** Files by absolute path; changed between runs by the tests. */
  files?: Map<string, string>;
  now?: Date;
  concurrency?: number;
  /** A sleep the test controls (the default returns at once). */
  sleep?: RunContext["sleep"];
}

export interface JournaledOutcome extends RunResult {
  warnings: string[];
  said: string[];
}

/** Parses, checks and runs a script the way `prose run` does, with a journal and models from `environment`. */
export async function runJournaled(source: string, options: JournaledRunOptions = {}): Promise<JournaledOutcome> {
  const file = "/scripts/main.prose";
  const program = compileSource(source, file, { loadSource: () => undefined });
  const problems = program.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  if (problems.length > 0) throw new Error(problems.map((problem) => `${problem.span.start.line}:${problem.span.start.column} ${problem.message}`).join("\n"));
  const warnings: string[] = [];
  const said: string[] = [];
  const now = options.now ?? new Date("2026-11-23T10:00:00Z");
  const context: RunContext = {
    say: (line) => said.push(line),
    warn: (message) => warnings.push(message),
    now: () => new Date(now.getTime()),
    sleep: options.sleep ?? (async () => undefined),
    readFile: async (path) => {
      const found = options.files?.get(path);
      if (found === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return new TextEncoder().encode(found);
    },
    writeFile: async () => undefined,
  };
  if (options.environment) context.models = new EnvironmentModelResolver(options.environment);
  const answers = new AnswerBook();
  for (const [key, answer] of Object.entries(options.answers ?? {})) answers.add(key, answer);
  const { models, ...host } = context;
  const { result } = await runCompiled(program, { host, answers, ...(models ? { models } : {}), ...(options.journal ? { journal: options.journal } : {}), ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }) });
  return { ...result, warnings, said };
}

/** The text of the last user message of a chat completions request. */
export function promptOf(request: RecordedRequest): string {
  const messages = (request.body as { messages: Array<{ role: string; content: unknown }> }).messages;
  const last = messages.filter((message) => message.role === "user").at(-1);
  const content = last?.content;
  if (typeof content === "string") return content;
  return (content as Array<{ type: string; text?: string }>).map((part) => part.text ?? "").join("");
}

/**
 * Answers every chat completion from its prompt: `answer(prompt)` gives the text (or a whole
 * response, for errors), after `delay(prompt)` milliseconds.
 */
export function answerByPrompt(server: ScriptedServer, answer: (prompt: string) => string | ScriptedResponse, delay: (prompt: string) => number = () => 0): void {
  server.route("/v1/chat/completions", (request) => {
    const prompt = promptOf(request);
    const given = answer(prompt);
    const response = typeof given === "string" ? openAiCompletion(given) : given;
    return "body" in response ? { ...response, delayMilliseconds: delay(prompt) } : response;
  });
}
