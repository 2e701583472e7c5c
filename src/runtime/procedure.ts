import type { ProcedureSignature } from "../check/procedure-signature.js";
import type { Reference } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import type { AnswerType } from "./answer-types.js";
import type { RunContext } from "./run-context.js";
import type { DocumentValue, Fact, Value } from "./values.js";

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
  /**
   * For each of the procedure's `modelSources` (and `keepsTextParts`) slots written as a text with `{…}` in it: the
   * text's pieces and the facts put into it, in order. An LLM procedure gives the model a
   * document found there as its content, where the text itself shows its file name (§10.2).
   */
  textParts?: Map<string, TextPart[]>;
}

/** A piece of a text as written (a string) or a fact put into it with `{…}`. */
export type TextPart = string | Fact;

export type ProcedureResult = Fact | Value | undefined;

/** A procedure of the standard library: its signature (what `check` and the REPL show) and how it runs. */
export interface StandardProcedure extends ProcedureSignature {
  /** Slots whose argument the procedure gives a model as a source: a text literal's parts are kept (see `textParts`). */
  modelSources?: readonly string[];
  /** Slots whose text literal's pieces the procedure gets too (`textParts`), for its own use (a web address's `{…}` values). */
  keepsTextParts?: readonly string[];
  /** A slot whose argument, when unknown, is `nothing` instead of a question (`find {name}`). */
  unknownIsNothing?: string;
  /**
   * The standard library's reader of a document's fields by the model (src/runtime/document-fields.ts):
   * the values of the fields asked (text, numbers, dates), or null for a field not found. `call`
   * is the statement's (its block's model lines, its place); one model call for all the fields.
   */
  readDocumentFields?(call: ProcedureCall, document: DocumentValue, fields: readonly string[]): Promise<Map<string, Fact | null>>;
  /** A typed `get`: the question for its unknown argument checks the answer against this type. */
  answerType?: AnswerType;
  run(call: ProcedureCall): ProcedureResult | Promise<ProcedureResult>;
}

/** Whether a phrasebook's procedure can run: the standard library's can, a bare signature cannot. */
export function isStandardProcedure(signature: ProcedureSignature): signature is StandardProcedure {
  return typeof (signature as Partial<StandardProcedure>).run === "function";
}

export type { Reference };
