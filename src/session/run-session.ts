import type { CheckedProgram, SourceLoader } from "../check/check-script.js";
import { Phrasebook } from "../check/phrasebook.js";
import { definitionPattern } from "../check/procedure-pattern.js";
import type { Diagnostic } from "../syntax/diagnostic.js";
import { hasErrors } from "../syntax/diagnostic.js";
import { factToJson } from "../runtime/display.js";
import { Interpreter } from "../runtime/interpreter.js";
import { AnswerBook, type Question } from "../runtime/questions.js";
import type { RunContext } from "../runtime/run-context.js";
import { runEndOf, type RunError, type RunStatus } from "../runtime/run-outcome.js";
import { inputReference } from "../runtime/run-program.js";
import type { Fact } from "../runtime/values.js";
import type { Statement } from "../syntax/ast.js";
import type { Journal } from "../runtime/journal.js";
import { parseScript } from "../syntax/parse-script.js";
import { compileParsed, standardPhrasebook } from "./compile-script.js";
import { ListEvidence } from "../check/list-readings.js";

export interface RunSessionOptions {
  /** Answers given before the run; questions they don't answer go to the context's person, or wait. */
  answers?: AnswerBook;
  /** Reads a learned file: its text, undefined when it does not exist, or why it may not be read. */
  loadSource?: SourceLoader;
  /** The phrasebook to start from: the standard library's unless given (`prose test` adds its own sentences). */
  phrasebook?: Phrasebook;
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
  /** The value of an input that ends with a line that is only a name (`the order name`): the REPL shows it. */
  shown?: Fact;
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
  /** What the inputs so far said about lists: earlier lines count as the script (`the names` makes a later `the first name` a list position). */
  private readonly listEvidence = new ListEvidence();

  constructor(context: RunContext, options: RunSessionOptions = {}) {
    this.phrasebookInUse = options.phrasebook ?? standardPhrasebook();
    this.loadSource = options.loadSource ?? (() => undefined);
    const script = { file: "session", source: "", statements: [], definitions: [] };
    this.state = { script, scripts: [], phrasebook: this.phrasebookInUse, calls: new Map(), diagnostics: [], sources: new Map() };
    this.interpreter = new Interpreter(this.state, context, options.answers ?? new AnswerBook(), options.journal ? { journal: options.journal } : {});
  }

  /** Sets a fact before the next input, as `--input name=value` does ("customer", "the invoice's total"). */
  setFact(name: string, value: Fact): void {
    this.interpreter.setInput(inputReference(name, "session"), value);
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
    const evidence = new ListEvidence();
    evidence.addAll(this.listEvidence);
    const program = compileParsed(parsed, { loadSource: this.loadSource, phrasebook, listEvidence: evidence });
    const outcome: SessionOutcome = { diagnostics: program.diagnostics, program };
    if (hasErrors(program.diagnostics)) return outcome;
    this.phrasebookInUse = phrasebook;
    this.listEvidence.addAll(evidence);
    return { ...outcome, ...(await this.runChecked(program)) };
  }

  /**
   * Runs statements of a program already checked (against this session's phrasebook or one
   * built like it): all of its top-level statements, or the ones given.
   */
  async runChecked(program: CheckedProgram, statements: readonly Statement[] = program.script.statements): Promise<Pick<SessionOutcome, "status" | "error" | "questions" | "shown">> {
    this.state.phrasebook = this.phrasebookInUse;
    for (const [call, match] of program.calls) this.state.calls.set(call, match);
    for (const [name, text] of program.sources) this.state.sources.set(name, text);
    for (const script of program.scripts) if (!this.state.scripts.includes(script)) this.state.scripts.push(script);
    try {
      await this.interpreter.run(statements);
      return statements[statements.length - 1]?.kind === "name" ? { status: "done", shown: this.interpreter.root.lastValue } : { status: "done" };
    } catch (problem) {
      // The same mapping as `prose run` (src/runtime/run-outcome.ts).
      const end = runEndOf(problem);
      if (end.status === "waiting") return { status: "waiting", questions: end.questions };
      return end.error === null ? { status: end.status } : { status: end.status, error: end.error };
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
