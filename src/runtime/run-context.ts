import type { Answer, Question } from "./questions.js";
import type { ModelResolver } from "../llm/model-resolver.js";
import type { GenerateResult } from "../llm/language-model.js";
import type { OutgoingEmail, SentEmail } from "./email.js";
import type { FolderEntry, RunStartRequest } from "./folders-and-runs.js";
import type { WebRequest, WebResponse } from "./web-request.js";

/**
 * Everything a run does to the world goes through here: output, the clock, files, and the
 * person answering questions. Tests give their own; the command line gives the real ones.
 */
export interface RunContext {
  /** A line said by the script. */
  say(line: string): void;
  /** A warning for the person running the script (stderr on the command line). */
  warn(message: string): void;
  now(): Date;
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, contents: string): Promise<void>;
  /** A folder's entries (inside the files root; see folders-and-runs.ts); absent where a run may list none. */
  listFolder?: (path: string) => Promise<FolderEntry[]>;
  /** Starts a run of another script on its own, returning its id; absent where a run may start none. */
  startRun?: (request: RunStartRequest) => Promise<string>;
  /** Asks a person at a terminal; undefined when nobody can be asked (headless). */
  askPerson?: (question: Question) => Promise<Answer>;
  signal?: AbortSignal;
  /** Finds the model an LLM procedure calls; absent when the run may call none. */
  models?: ModelResolver;
  /** Told of every model attempt, for the run's usage. */
  recordModelCall?: (result: GenerateResult) => void;
  /** Sends an email with the agent's settings (`send an email`); absent when the run can send none. Fails with `EmailNotSent`. */
  sendEmail?: (message: OutgoingEmail) => Promise<SentEmail>;
  /**
   * Sends a web request (the command line's fetch, limited to the hosts --allow-net names, with
   * named secrets read from the agent's store); absent when the run may reach no host.
   */
  request?: (request: WebRequest, signal?: AbortSignal) => Promise<WebResponse>;
  /** Whether the agent has a named secret (`prose secret add NAME`); absent when the run has no store. */
  hasSecret?: (name: string) => Promise<boolean>;
  /** Told when loops start items and finish them, for a progress line. */
  progress?: (event: ProgressEvent) => void;
}

/** `items`: a loop starts this many items; `item-done`: one of them finished. */
export type ProgressEvent = { kind: "items"; added: number } | { kind: "item-done" };
