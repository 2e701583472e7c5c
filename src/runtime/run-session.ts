import { checkScript, type CheckedProgram, type SourceLoader } from "../check/check-script.js";
import { Phrasebook } from "../check/phrasebook.js";
import { definitionPattern } from "../check/procedure-pattern.js";
import type { Diagnostic } from "../syntax/diagnostic.js";
import { hasErrors } from "../syntax/diagnostic.js";
import { parseScript } from "../syntax/parse-script.js";
import { formatLocation } from "../syntax/span.js";
import { factToJson } from "./display.js";
import { RuntimeError, ScriptFailure, StopSignal } from "./errors.js";
import { Interpreter } from "./interpreter.js";
import { AnswerBook, QuestionsPending, type Question } from "./questions.js";
import type { RunContext } from "./run-context.js";
import type { RunError, RunStatus } from "./run-program.js";
import type { Fact } from "./values.js";
import type { Reference, Statement } from "../syntax/ast.js";
import type { Journal } from "./journal.js";

export interface RunSessionOptions {
  /** Answers given before the run; questions they don't answer go to the context's person, or wait. */
  answers?: AnswerBook;
  /** Reads a learned file: its text, undefined when it does not exist, or why it may not be read. */
  loadSource?: SourceLoader;
  /** The phrasebook to start from: the standard library's, from the caller (`prose test` adds its own sentences). */
  phrasebook: Phrasebook;
  /** Where steps are journaled and replayed from (`prose test` replays recorded model calls). */
  journal?: Journal;
}

/** What one input did: its problems (nothing ran), or how its statements ended. */
export interface SessionOutcome {
  /** Syntax and check problems; when any is an error, nothing of the input ran. */
  diagnostics: Diagnostic[];
  /** Absent when the input did not run. */
  status?: RunStatus;
  error?: RunError;
  questions?: Question[];
  /** The checked input, for showing its problems with their source lines. */
  program: CheckedProgram;
}

/**
 * Runs more statements in an existing session: the entry point the REPL shares with the file
 * runner. Every input goes the same way as `prose run` — parse, check against the phrasebook,
 * run in the interpreter — but the session keeps one phrasebook (the procedures defined so far)
 * and one interpreter (its facts, `the above`, its question desk) across inputs.
 *
 * An input with an error adds nothing: its procedures are checked against a copy of the
 * phrasebook, which replaces the session's only when the whole input checks. Defining a
 * procedure again replaces the earlier definition.
 */
export class RunSession {
  private phrasebookInUse: Phrasebook;
  private readonly loadSource: SourceLoader;
  /** Every call resolved so far, and every source read: the interpreter reads calls from here. */
  private readonly state: CheckedProgram;
  private readonly interpreter: Interpreter;

  constructor(context: RunContext, options: RunSessionOptions) {
    this.phrasebookInUse = options.phrasebook;
    this.loadSource = options.loadSource ?? (() => undefined);
    const script = { file: "session", source: "", statements: [], definitions: [] };
    this.state = { script, scripts: [], phrasebook: this.phrasebookInUse, calls: new Map(), diagnostics: [], sources: new Map() };
    this.interpreter = new Interpreter(this.state, context, options.answers ?? new AnswerBook(), options.journal ? { journal: options.journal } : {});
  }

  /** Sets a fact before the next input, as `--input name=value` does ("customer", "the invoice's total"). */
  setFact(name: string, value: Fact): void {
    this.interpreter.setInput(factReference(name), value);
  }

  get phrasebook(): Phrasebook {
    return this.phrasebookInUse;
  }

  /** The session's top-level facts, by name. */
  get facts(): ReadonlyMap<string, Fact> {
    return this.interpreter.globals.facts;
  }

  factsAsJson(): Record<string, unknown> {
    return Object.fromEntries([...this.facts].map(([name, fact]) => [name, factToJson(fact)]));
  }

  /** Parses, checks and runs one input; `file` names it in messages (and `learn` paths start at its folder). */
  async run(source: string, file: string): Promise<SessionOutcome> {
    const parsed = parseScript(source, file);
    const phrasebook = this.copyWithout(parsed.script.definitions.map((definition) => definitionPattern(definition).text));
    const program = checkScript(parsed.script, { loadSource: this.loadSource, phrasebook });
    program.diagnostics.unshift(...parsed.diagnostics);
    const outcome: SessionOutcome = { diagnostics: program.diagnostics, program };
    if (hasErrors(program.diagnostics)) return outcome;
    this.phrasebookInUse = phrasebook;
    return { ...outcome, ...(await this.runChecked(program)) };
  }

  /**
   * Runs statements of a program already checked (against this session's phrasebook or one
   * built like it): all of its top-level statements, or the ones given.
   */
  async runChecked(program: CheckedProgram, statements: readonly Statement[] = program.script.statements): Promise<Pick<SessionOutcome, "status" | "error" | "questions">> {
    this.state.phrasebook = this.phrasebookInUse;
    for (const [call, match] of program.calls) this.state.calls.set(call, match);
    for (const [name, text] of program.sources) this.state.sources.set(name, text);
    for (const script of program.scripts) if (!this.state.scripts.includes(script)) this.state.scripts.push(script);
    try {
      await this.interpreter.run(statements);
      return { status: "done" };
    } catch (problem) {
      if (problem instanceof StopSignal) return { status: "done" };
      if (problem instanceof QuestionsPending) return { status: "waiting", questions: problem.questions };
      if (problem instanceof RuntimeError) return { status: "failed", error: { message: problem.message, at: formatLocation(problem.span), fix: problem.fix, span: problem.span } };
      if (problem instanceof ScriptFailure) return { status: "failed", error: { message: problem.message, at: formatLocation(problem.span), span: problem.span } };
      const message = problem instanceof Error ? problem.message : String(problem);
      return { status: "failed", error: { message: `Prose hit an internal error: ${message}. Please report it with the script that caused it.`, at: null } };
    }
  }

  /** The phrasebook without the user procedures an input defines again. */
  private copyWithout(redefined: string[]): Phrasebook {
    const copy = new Phrasebook();
    for (const entry of this.phrasebookInUse.entries) {
      if (entry.definition && redefined.includes(entry.patternText)) continue;
      copy.add(entry);
    }
    return copy;
  }
}

/** `customer`, `the customer`, `the invoice's total` → a reference to set before a run. */
function factReference(name: string): Reference {
  const cleaned = name.trim().replace(/^the\s+/i, "").toLowerCase().replace(/\s+/g, " ");
  const span = { file: "session", start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  const segments = cleaned.split(/['’]s\s+/).map((segmentName) => ({ name: segmentName, span }));
  return { segments, text: `the ${cleaned}`, span };
}
