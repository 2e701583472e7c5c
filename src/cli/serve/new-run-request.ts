import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { defaultAgent } from "../../byom/workspace.js";
import type { CheckedProgram } from "../../check/check-script.js";
import { defaultConcurrency } from "../../runtime/interpreter.js";
import type { AnswerBook } from "../../runtime/questions.js";
import type { RunArguments, RunRecord, ShownStatus } from "../../runtime/run-store.js";
import { runAgent } from "../../session/agent-name.js";
import { inReadingOrder } from "../../session/compile-script.js";
import { atAsGiven, invalidScriptJson } from "../../session/run-json.js";
import { SessionError } from "../../session/session-error.js";
import { hasErrors } from "../../syntax/diagnostic.js";
import { filesPolicyFor, isInside } from "../files-policy.js";
import { loadProgram } from "../load-program.js";
import { UsageError } from "../usage-error.js";
import { ApiError } from "./api-error.js";

/** What a new run of the API asks for. */
export interface NewRunRequest {
  /** Relative to the scripts root. */
  script: string;
  inputs: string[];
  agent?: string;
  project?: string;
  concurrency?: number;
  timeoutSeconds?: number;
}

/** What checking a new run gives: the script's real path, its compiled program, the run's arguments. */
export interface CheckedNewRun {
  script: string;
  program: CheckedProgram;
  runArguments: RunArguments;
}

/**
 * A new run of a script under the scripts root, checked before anything is recorded: the script
 * inside the root (no link leads out), an agent's name, inputs whose files lie under the root, and
 * a script without errors (422 with every diagnostic). The same for runs the server runs and runs
 * it queues for workers.
 */
export function checkedNewRun(request: NewRunRequest, where: { scriptsRoot: string; workspace: string; environment: NodeJS.ProcessEnv }): CheckedNewRun {
  const script = scriptInRoot(where.scriptsRoot, request.script);
  const agent = agentOf(request.agent);
  const files = filesPolicyFor({}, { root: where.scriptsRoot, origin: "the scripts root", currentDirectory: where.scriptsRoot, workspace: where.workspace, environment: where.environment });
  let program;
  try {
    program = loadProgram(script, files);
  } catch (problem) {
    if (problem instanceof UsageError) throw new ApiError(400, problem.message, problem.fix ?? "Check the script's path.");
    throw problem;
  }
  if (hasErrors(program.diagnostics)) {
    const invalid = invalidScriptJson(request.script, inReadingOrder(program.diagnostics, program.script.file));
    for (const diagnostic of invalid.diagnostics) diagnostic.at = atAsGiven(diagnostic.at, program.script.file, request.script);
    const first = invalid.diagnostics.find((diagnostic) => diagnostic.severity === "error");
    throw Object.assign(new ApiError(422, `The script ${request.script} has ${invalid.diagnostics.filter((d) => d.severity === "error").length} error(s)${first ? `, the first: ${first.message}` : ""}.`, `Correct the script (see them all with \`prose check ${request.script}\`), then start it again.`), { diagnostics: invalid.diagnostics });
  }
  const runArguments: RunArguments = {
    inputs: request.inputs.map((pair) => inputInRoot(where.scriptsRoot, pair)),
    concurrency: request.concurrency ?? defaultConcurrency,
    files: { root: where.scriptsRoot },
    ...(request.agent === undefined ? {} : { agent }),
    ...(request.project === undefined ? {} : { project: request.project }),
  };
  return { script, program, runArguments };
}

/**
 * Refuses answers a run cannot take (409 unless it waits, 422 when none matches an open question);
 * otherwise the warnings for the keys that matched none.
 */
export function checkAnswersFit(record: RunRecord, status: ShownStatus, answers: AnswerBook, keysGiven: number): string[] {
  const id = record.id;
  if (status !== "waiting") {
    const stoppedAs = record.stopped === undefined ? "" : ` (stopped: ${record.stopped === "interrupted" ? "cancelled or interrupted" : record.stopped})`;
    throw new ApiError(409, `The run ${id} is ${status}${stoppedAs}: it has no open question to answer.`, status === "running" ? "Wait for it to ask (its events stream says when), then answer." : status === "done" ? `It already finished. To run the script again with these answers, start a new run of ${record.scriptGiven ?? record.script}.` : "Only a waiting run takes answers. Start a new run of the script if it must run again.");
  }
  const matched = record.questions.filter((question) => answers.find(question) !== undefined);
  const unused = answers.unused();
  if (matched.length === 0 || keysGiven === 0) {
    const open = record.questions.slice(0, 5).map((question) => `${question.id} "${question.text}"${question.subject ? ` (${question.subject})` : ""}`);
    throw new ApiError(422, `None of the answers matches an open question of the run ${id}.`, `Answer by question id, question text or fact name; its open questions: ${open.join("; ")}.`);
  }
  return unused.map((key) => `The answer "${key.length > 80 ? `${key.slice(0, 79)}…` : key}" matches none of the run's open questions; it was not used.`);
}

/** The agent's name, refused (400) when it cannot be one. */
function agentOf(agent: string | undefined): string {
  try {
    return runAgent(agent ?? defaultAgent);
  } catch (problem) {
    if (problem instanceof SessionError) throw new ApiError(400, problem.message, problem.fix ?? "Give an agent's name (letters, digits, - and _).");
    throw problem;
  }
}

/** The script's real path, refused when it lies outside the scripts root. */
function scriptInRoot(root: string, given: string): string {
  const fix = `Give the script's path relative to the scripts root (${root}), for example "invoices/approve.prose".`;
  if (given.trim() === "" || isAbsolute(given) || given.includes("\0")) throw new ApiError(400, `The script path "${given.slice(0, 200)}" is not a path relative to the scripts root.`, fix);
  const path = resolve(root, given);
  if (!isInside(path, root)) throw new ApiError(400, `The script "${given.slice(0, 200)}" lies outside the scripts root.`, fix);
  if (!existsSync(path)) throw new ApiError(400, `There is no script "${given.slice(0, 200)}" under the scripts root.`, fix);
  const real = realpathSync(path);
  if (!isInside(real, root)) throw new ApiError(400, `The script "${given.slice(0, 200)}" leads outside the scripts root (through a link).`, fix);
  if (statSync(real).isDirectory()) throw new ApiError(400, `"${given.slice(0, 200)}" is a folder, not a script.`, fix);
  return real;
}

/** `name=@path` opens a file under the scripts root (the run's files root); other pairs as given. */
function inputInRoot(scriptsRoot: string, pair: string): string {
  const equals = pair.indexOf("=");
  if (equals <= 0) throw new ApiError(400, `The input "${pair.slice(0, 200)}" ${equals < 0 ? 'has no "="' : 'names nothing before "="'}.`, 'Give inputs as {"customer": "John Smith"} or ["customer=John Smith"].');
  if (pair[equals + 1] !== "@") return pair;
  const path = resolve(scriptsRoot, pair.slice(equals + 2));
  if (!isInside(path, scriptsRoot)) throw new ApiError(400, `The input file of "${pair.slice(0, equals)}" lies outside the scripts root.`, "Give a file path relative to the scripts root.");
  return `${pair.slice(0, equals)}=@${path}`;
}
