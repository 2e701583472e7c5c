import type { ProcedureSignature } from "../check/procedure-signature.js";
import type { Reference } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import type { AnswerType } from "./answer-types.js";
import type { RunContext } from "./run-context.js";
import type { Fact, Value } from "./values.js";

/** What a standard procedure receives when it is called. */
export interface ProcedureCall {
  span: Span;
  /** Each slot's argument, evaluated. */
  arguments: Map<string, Fact>;
  /** The parameter block's facts, by name ("delimiter", "fields"). */
  block: Map<string, Fact>;
  context: RunContext;
  /** Resolves a path written in the script: relative paths start at the script's folder. */
  resolvePath(path: string): string;
  /** The name the result will be stored under ("data", or the `as the …` name), for questions. */
  resultName?: string;
  /**
   * Asks for values the procedure could not find: one `value` question per subject
   * ("the data's total"), all listed together when the run must wait.
   */
  askValues(subjects: string[]): Promise<Fact[]>;
  /** Stops the run with an English error pointing at the call. */
  fail(message: string, fix?: string): never;
}

export type ProcedureResult = Fact | Value | undefined;

/** A procedure of the standard library: its signature (what `check` and the REPL show) and how it runs. */
export interface StandardProcedure extends ProcedureSignature {
  /** A typed `get`: the question for its unknown argument checks the answer against this type. */
  answerType?: AnswerType;
  run(call: ProcedureCall): ProcedureResult | Promise<ProcedureResult>;
}

/** Whether a phrasebook's procedure can run: the standard library's can, a bare signature cannot. */
export function isStandardProcedure(signature: ProcedureSignature): signature is StandardProcedure {
  return typeof (signature as Partial<StandardProcedure>).run === "function";
}

export type { Reference };
