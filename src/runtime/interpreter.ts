import { dirname, isAbsolute, resolve } from "node:path";
import type { CheckedProgram } from "../check/check-script.js";
import type { CallMatch } from "../check/match-call.js";
import { askChoices } from "../check/ask-choices.js";
import { loopCollection } from "../check/loop-collection.js";
import type { Assignment, AskStatement, CallStatement, EachLoop, Expression, Reference, RepeatLoop, Statement, ValidateStatement } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import { display, displayFact } from "./display.js";
import { RunStopped, RuntimeError, ScriptFailure, StopSignal } from "./errors.js";
import { condition, evaluate, evaluateFact, evaluateTarget, factToShow, type EvaluationEnvironment } from "./evaluate.js";
import { claim } from "./list-ownership.js";
import { isStandardProcedure, type ProcedureCall, type TextPart } from "./procedure.js";
import { evaluateTextParts } from "./text-parts.js";
import { DocumentFieldNeeded } from "./document-fields.js";
import { readDocumentFields } from "./document-field-reader.js";
import { assignReference, bindAlias, storeReference } from "./references.js";
import type { RunContext } from "./run-context.js";
import { Scope } from "./scope.js";
import { UnknownFact } from "./unknown-fact.js";
import { Fact, list, NOTHING } from "./values.js";
import { asNumber } from "./arithmetic.js";
import type { QuestionDesk } from "./question-desk.js";
import { resultReference } from "../check/list-readings.js";
import { QuestionsPending, type AnswerSource, type Answer, type Question } from "./questions.js";
import { LookAhead, LookedAhead } from "./look-ahead.js";
import { NotWhileLookingAhead } from "./look-ahead-guard.js";
import type { Journal } from "./journal.js";
import { journaledAnswers } from "./journaled-context.js";
import { runParallelLoop } from "./parallel-loop.js";
import { Strand } from "./strand.js";
import { typedGetOf } from "./typed-get-question.js";
import { Pulse } from "./pulse.js";
import { LimitExceeded, textTooLong } from "./limit-exceeded.js";
import { InputDefaults } from "./input-defaults.js";
import { DocumentNotRead, readThenRunAgain } from "./document-attributes.js";

/** Deeper than any script needs, and far from where JavaScript's own stack would overflow. */
const MAX_CALL_DEPTH = 200;

/** A statement's work: nothing when it finished at once, a promise when it had to wait. */
type Step = void | Promise<void>;

export interface InterpreterOptions {
  /** Where steps are journaled and replayed from (a resumed run); none keeps no journal. */
  journal?: Journal;
  /** How many iterations of a parallel loop run at once: 4 unless given. */
  concurrency?: number;
}

export const defaultConcurrency = 4;

/**
 * Runs a checked program. Statements run synchronously until one must wait (a file, a
 * question, a model call), so tight loops pay no promise per statement. Everything a line of
 * execution owns — `the above`, the loops it is in, its questions, its step keys — lives in
 * its `Strand`, passed along explicitly: the run's root strand, or an iteration of a parallel loop.
 */
export class Interpreter {
  readonly globals = new Scope();
  /** The strand of the whole run (parallel iterations have their own). */
  readonly root: Strand;
  private readonly concurrency: number;
  /** Lets Ctrl-C and --timeout stop a run that computes without waiting. */
  private readonly pulse: Pulse;
  /** Top-level lines that set a fact `--input` gave are skipped (input-defaults.ts). */
  private readonly inputDefaults: InputDefaults;

  constructor(
    private readonly program: CheckedProgram,
    context: RunContext,
    answers: AnswerSource,
    options: InterpreterOptions = {},
  ) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? defaultConcurrency));
    this.pulse = new Pulse(context.signal);
    this.inputDefaults = new InputDefaults(new Set(program.script.statements));
    // Parallel iterations may need a person at the same time: they are asked one after another.
    const shared: RunContext = context.askPerson ? { ...context, askPerson: oneAtATime(context.askPerson) } : context;
    const settings = { context: shared, answers: options.journal ? journaledAnswers(answers, options.journal) : answers, ...(options.journal ? { journal: options.journal } : {}) };
    this.root = new Strand("", settings, (line) => context.say(line));
  }

  /** The root strand's questions. */
  get desk(): QuestionDesk {
    return this.root.desk;
  }

  run(statements: readonly Statement[] = this.program.script.statements, scope: Scope = this.globals, strand: Strand = this.root): Step {
    strand.lookAhead = undefined;
    return this.sequence(statements, scope, 0, strand);
  }

  private sequence(statements: readonly Statement[], scope: Scope, start: number, strand: Strand): Step {
    if (strand.lookAhead) return this.lookAheadFrom(statements, scope, start, strand);
    for (let index = start; index < statements.length; index++) {
      if (--this.pulse.countdown <= 0) {
        const pause = this.pulse.look(statements[index].span);
        if (pause) return pause.then(() => this.sequence(statements, scope, index, strand));
      }
      let step: Step;
      try {
        step = this.execute(statements[index], scope, strand);
      } catch (problem) {
        return this.startLookAhead(problem, statements, index, scope, strand);
      }
      if (step) return step.then(() => this.sequence(statements, scope, index + 1, strand), (problem: unknown) => this.startLookAhead(problem, statements, index, scope, strand));
    }
  }

  /**
   * A statement raised questions nobody could answer: the rest of its block is looked through
   * for more (see `LookAhead`), then the run stops with all of them. The block that started
   * looking ahead ends with the questions; a block entered while looking ahead ends normally.
   */
  private startLookAhead(problem: unknown, statements: readonly Statement[], index: number, scope: Scope, strand: Strand): Step {
    if (!(problem instanceof QuestionsPending)) throw problem;
    const look = (strand.lookAhead ??= new LookAhead(this.program));
    look.add(problem);
    const statement = statements[index];
    look.block(statement, scope, problem instanceof LookedAhead && (statement.kind === "if" || statement.kind === "call"));
    if (look.final) throw look.pending();
    const step = this.lookAheadFrom(statements, scope, index + 1, strand);
    if (step) return step.then(() => Promise.reject(look.pending()));
    throw look.pending();
  }

  /** Looking ahead: each statement runs when it may (`LookAhead.runs`), or is skipped. */
  private lookAheadFrom(statements: readonly Statement[], scope: Scope, start: number, strand: Strand): Step {
    const look = strand.lookAhead!;
    for (let index = start; index < statements.length; index++) {
      if (--this.pulse.countdown <= 0) {
        const pause = this.pulse.look(statements[index].span);
        if (pause) return pause.then(() => this.lookAheadFrom(statements, scope, index, strand));
      }
      const statement = look.narrow(statements[index], scope);
      if (!look.runs(statement, scope)) {
        look.block(statement, scope);
        if (look.final) throw look.pending();
        continue;
      }
      let step: Step;
      try {
        step = this.execute(statement, scope, strand);
      } catch (problem) {
        this.lookedAt(problem, statement, scope, look);
        continue;
      }
      if (step) {
        return step.then(
          () => (look.ran(statement), this.lookAheadFrom(statements, scope, index + 1, strand)),
          (problem: unknown) => (this.lookedAt(problem, statement, scope, look), this.lookAheadFrom(statements, scope, index + 1, strand)),
        );
      }
      look.ran(statement);
    }
  }

  /**
   * A statement run while looking ahead did not finish: its questions are kept and it is
   * blocked. A mistake or an end (`stop`, `fail`) ends the looking — the run stops with the
   * questions found, and the resumed run meets the mistake again if it is still there.
   */
  private lookedAt(problem: unknown, statement: Statement, scope: Scope, look: LookAhead): void {
    if (problem instanceof NotWhileLookingAhead) {
      look.block(statement, scope);
      if (look.final) throw look.pending();
      return;
    }
    if (problem instanceof QuestionsPending) {
      look.add(problem);
      look.block(statement, scope, problem instanceof LookedAhead && (statement.kind === "if" || statement.kind === "call"));
      if (look.final) throw look.pending();
      return;
    }
    if (problem instanceof RuntimeError || problem instanceof ScriptFailure || problem instanceof StopSignal) {
      look.final = true;
      throw look.pending();
    }
    throw problem;
  }

  /** Runs one statement; a fact it needs but doesn't know becomes a question, then it runs again. */
  private execute(statement: Statement, scope: Scope, strand: Strand): Step {
    strand.place = statement.span;
    try {
      const step = this.dispatch(statement, scope, strand);
      if (step) return step.catch((problem: unknown) => this.recover(problem, statement, scope, strand));
    } catch (problem) {
      return this.recover(problem, statement, scope, strand);
    }
  }

  private recover(problem: unknown, statement: Statement, scope: Scope, strand: Strand): Step {
    if (problem instanceof DocumentNotRead) return readThenRunAgain(problem, strand, statement.span, () => this.execute(statement, scope, strand));
    if (problem instanceof DocumentFieldNeeded) return this.readFields(problem, statement, scope, strand);
    if (!(problem instanceof UnknownFact)) throw placed(problem, statement.span);
    const answered = strand.desk.askForValue(problem, scope, strand.loopItems, typedGetOf(statement, problem, this.program));
    return answered instanceof Promise ? answered.then(() => this.execute(statement, scope, strand)) : this.execute(statement, scope, strand);
  }

  /** A document's field read by the model (with the others the script reads from it), then the statement again. */
  private readFields(needed: DocumentFieldNeeded, statement: Statement, scope: Scope, strand: Strand): Step {
    const block = new Scope();
    try {
      if (statement.kind === "call") for (const line of statement.block) assignReference(line.target, assignedFact(line, scope, strand), block);
    } catch (problem) {
      return this.recover(problem, statement, scope, strand);
    }
    return readDocumentFields(needed, statement, block.facts, strand, this.program).then(
      () => this.execute(statement, scope, strand),
      (problem: unknown) => this.recover(problem, statement, scope, strand),
    );
  }

  private dispatch(statement: Statement, scope: Scope, strand: Strand): Step {
    switch (statement.kind) {
      case "assign": {
        if (this.inputDefaults.overridden(statement, scope)) return;
        const value = assignedFact(statement, scope, strand);
        if (statement.alias) {
          bindAlias(statement.target, value, scope);
          strand.lastValue = value;
          return;
        }
        assignReference(statement.target, value, scope);
        strand.lastValue = value;
        return;
      }
      case "say":
        strand.context.say(displayFact(factToShow(statement.value, scope, strand)));
        return;
      case "if":
        for (const branch of statement.branches) {
          if (condition(branch.condition, scope, strand)) return this.sequence(branch.body, scope, 0, strand);
        }
        if (statement.otherwise) return this.sequence(statement.otherwise, scope, 0, strand);
        return;
      case "each":
        return this.each(statement, scope, strand);
      case "repeat":
        return this.repeat(statement, scope, strand);
      case "ask":
        return this.ask(statement, scope, strand);
      case "validate":
        return this.validate(statement, scope, strand);
      case "stop":
        throw new StopSignal(statement.span);
      case "fail": {
        const message = statement.message ? display(evaluate(statement.message, scope, strand)) : "The script failed.";
        throw new ScriptFailure(message, statement.span);
      }
      case "name":
        strand.lastValue = evaluateFact(statement.value, scope, strand);
        return;
      case "learn":
        return; // procedures of learned files were added to the phrasebook by `check`
      case "call":
        return this.call(statement, scope, strand);
    }
  }

  private each(loop: EachLoop, scope: Scope, strand: Strand): Step {
    const collection = evaluateFact(loopCollection(loop), scope, strand);
    const items = collection.value.kind === "list" ? [...collection.value.items] : collection.value.kind === "nothing" ? [] : [collection];
    if (loop.parallel && items.length > 0) {
      return runParallelLoop({ loop, items, scope, strand, limit: this.concurrency, runBlock: (body, iterationScope, iterationStrand) => this.sequence(body, iterationScope, 0, iterationStrand) });
    }
    const progress = strand.context.progress;
    progress?.({ kind: "items", added: items.length });
    const iterate = (index: number): Step => {
      for (let position = index; position < items.length; position++) {
        scope.set(loop.item, items[position]);
        const step = this.sequence(loop.body, scope, 0, strand);
        if (step) return step.then(() => (progress?.({ kind: "item-done" }), iterate(position + 1)));
        progress?.({ kind: "item-done" });
      }
    };
    strand.loopItems.push(loop.item);
    const done = () => void strand.loopItems.pop();
    try {
      const step = iterate(0);
      if (step) return step.finally(done);
      done();
    } catch (problem) {
      done();
      throw problem;
    }
  }

  private repeat(loop: RepeatLoop, scope: Scope, strand: Strand): Step {
    const count = this.wholeNumber(loop.count, scope, "repeat", strand);
    const iterate = (start: number): Step => {
      for (let round = start; round < count; round++) {
        const step = this.sequence(loop.body, scope, 0, strand);
        if (step) return step.then(() => iterate(round + 1));
      }
    };
    return iterate(0);
  }

  private wholeNumber(expression: Expression, scope: Scope, what: string, strand: Strand): number {
    const value = evaluate(expression, scope, strand);
    const found = asNumber(value);
    if (!found || !found.value.isInteger() || found.value.isNegative()) {
      throw new RuntimeError(`\`${what}\` needs a whole number of times, but got "${display(value)}".`, expression.span, "fix: give a count such as 3 or `the number of invoices`.");
    }
    return found.value.toNumber();
  }

  private ask(statement: AskStatement, scope: Scope, strand: Strand): Step {
    const prompt = display(evaluate(statement.prompt, scope, strand));
    const written = askChoices(statement);
    const choices = written ? evaluate(written, scope, strand) : undefined;
    const choiceTexts = choices === undefined ? [] : choices.kind === "list" ? choices.items.map((item) => display(item.value)) : [display(choices)];
    const answered = strand.desk.ask(prompt, choiceTexts, statement.span);
    const store = (answer: Fact) => {
      scope.set("answer", answer);
      strand.lastValue = answer;
    };
    if (answered instanceof Promise) return answered.then(store);
    store(answered);
  }

  private validate(statement: ValidateStatement, scope: Scope, strand: Strand): Step {
    const desk = strand.desk;
    const failing = statement.checks.filter((check) => !desk.accepted.has(check) && !condition(check.condition, scope, strand));
    if (failing.length === 0) {
      for (const check of statement.checks) desk.accepted.delete(check);
      return;
    }
    const settled = desk.settleFailedChecks(failing, scope, (check) => condition(check.condition, scope, strand));
    return settled instanceof Promise ? settled.then(() => this.validate(statement, scope, strand)) : this.validate(statement, scope, strand);
  }

  private call(statement: CallStatement, scope: Scope, strand: Strand): Step {
    const match = this.program.calls.get(statement);
    if (!match) throw new RuntimeError(`I don't know how to "${statement.text}".`, statement.span, "fix: run `prose check` on the script to see why.");
    const argumentsBySlot = new Map<string, Fact>();
    const changedInPlace = statement.resultName === undefined ? match.entry.changesInPlace : undefined;
    const standard = match.entry.standard && isStandardProcedure(match.entry.standard) ? match.entry.standard : undefined;
    const modelSources = standard?.keepsTextParts ? [...(standard.modelSources ?? []), ...standard.keepsTextParts] : standard?.modelSources;
    const textParts = new Map<string, TextPart[]>();
    const quietSlot = match.entry.standard && isStandardProcedure(match.entry.standard) ? match.entry.standard.unknownIsNothing : undefined;
    for (const [slot, expression] of match.arguments) {
      if (slot === quietSlot) {
        argumentsBySlot.set(slot, nothingWhenUnknown(() => evaluateFact(expression, scope, strand)));
        continue;
      }
      const kept = modelSources?.includes(slot) ? evaluateTextParts(expression, scope, strand) : undefined;
      if (kept) textParts.set(slot, kept.parts);
      argumentsBySlot.set(slot, kept ? kept.fact : slot === changedInPlace ? evaluateTarget(expression, scope, strand) : evaluateFact(expression, scope, strand));
    }
    const block = new Scope();
    for (const line of statement.block) assignReference(line.target, assignedFact(line, scope, strand), block);
    const result = match.entry.definition
      ? this.callDefinition(match, statement.span, argumentsBySlot, block, strand)
      : this.callStandard(match, statement.span, argumentsBySlot, block, statement.resultName ?? match.entry.resultName, strand, textParts);
    if (result instanceof Promise) return result.then((value) => this.storeResult(statement, match, value, scope, strand));
    this.storeResult(statement, match, result, scope, strand);
  }

  private callDefinition(match: CallMatch, span: Span, argumentsBySlot: Map<string, Fact>, block: Scope, strand: Strand): Fact | Promise<Fact> {
    if (strand.callDepth >= MAX_CALL_DEPTH) {
      throw new RuntimeError(
        `Procedure calls are nested more than ${MAX_CALL_DEPTH} deep at "${match.entry.patternText}": it probably calls itself without end.`,
        span,
        "fix: make the procedure stop calling itself, for example with an `if` around the call.",
      );
    }
    const callScope = new Scope(this.globals);
    for (const [name, fact] of block.facts) callScope.set(name, fact);
    // A record is shared, so changes through its possessives show to the caller; a plain value
    // is copied, so assigning the input inside the body leaves the caller's fact alone.
    for (const [slot, fact] of argumentsBySlot) callScope.set(slot, fact.hasAttributes() ? fact : new Fact(fact.value));
    const finish = () => callScope.facts.get("result") ?? callScope.facts.get("results") ?? new Fact(NOTHING);
    strand.callDepth++;
    let step: Step;
    try {
      step = this.sequence(match.entry.definition!.body, callScope, 0, strand);
    } catch (problem) {
      strand.callDepth--;
      throw problem;
    }
    if (!step) {
      strand.callDepth--;
      return finish();
    }
    return step.then(
      () => {
        strand.callDepth--;
        return finish();
      },
      (problem: unknown) => {
        strand.callDepth--;
        throw problem;
      },
    );
  }

  private callStandard(match: CallMatch, span: Span, argumentsBySlot: Map<string, Fact>, block: Scope, resultName: string | undefined, strand: Strand, textParts?: Map<string, TextPart[]>): Fact | undefined | Promise<Fact | undefined> {
    const call: ProcedureCall = {
      span,
      ...(textParts && textParts.size > 0 ? { textParts } : {}),
      arguments: argumentsBySlot,
      block: block.facts,
      context: strand.context,
      resultName,
      askValues: (subjects) => strand.desk.askAbout(subjects, span),
      resolvePath: (path) => (isAbsolute(path) ? path : resolve(dirname(span.file), path)),
      fail: (message, fix) => {
        throw new RuntimeError(message, span, fix);
      },
    };
    const procedure = match.entry.standard;
    if (procedure === undefined || !isStandardProcedure(procedure)) {
      throw new RuntimeError(`The procedure "${match.entry.patternText}" was checked but cannot run here: it was given to the checker without its implementation.`, span, "fix: build the phrasebook from the standard library's procedures (stdlib/registry.ts), which carry their implementations.");
    }
    const result = procedure.run(call);
    const toFact = (value: Awaited<typeof result>) => (value === undefined ? undefined : value instanceof Fact ? value : new Fact(value));
    if (!(result instanceof Promise)) return toFact(result);
    // Whatever a procedure was waiting for (a model call, a wait, a file), a stopped run ends there, saying so.
    const signal = strand.context.signal;
    return result.then(toFact, (problem: unknown) => {
      if (signal?.aborted) throw new RunStopped(signal, span);
      throw problem;
    });
  }

  /** `as the …` names the result; otherwise it changes its argument in place or takes its default name. */
  private storeResult(statement: CallStatement, match: CallMatch, result: Fact | undefined, scope: Scope, strand: Strand): void {
    const value = result ?? new Fact(NOTHING);
    strand.lastValue = value;
    if (result === undefined) return;
    if (statement.resultName) {
      assignReference(resultReference(statement), value, scope);
      return;
    }
    const inPlace = match.entry.changesInPlace ? match.arguments.get(match.entry.changesInPlace) : undefined;
    if (inPlace?.kind === "reference") {
      claim(storeReference(inPlace.reference, value, scope));
      return;
    }
    if (match.entry.resultName) scope.set(match.entry.resultName, value);
  }

  /** Sets a fact before the run, as `--input name=value` does. */
  setInput(reference: Reference, value: Fact): void {
    this.inputDefaults.record(reference, storeReference(reference, value, this.globals));
  }
}

/**
 * A value past a limit is told at the statement that made it. So are the JavaScript engine's own
 * limits, should a statement reach one that Prose's limits did not foresee (a text too long for
 * the engine, or calls and blocks nested too deep for its stack): an English error at the
 * statement, never an internal error.
 */
function placed(problem: unknown, span: Span): unknown {
  if (problem instanceof LimitExceeded) return new RuntimeError(problem.message, span, problem.fix);
  if (!(problem instanceof RangeError)) return problem;
  if (/invalid string length/i.test(problem.message)) {
    const tooLong = textTooLong();
    return new RuntimeError(tooLong.message, span, tooLong.fix);
  }
  if (/maximum call stack/i.test(problem.message)) {
    return new RuntimeError(
      "This step goes deeper than Prose can run: procedures that call each other, and the blocks inside them, are nested too deep here.",
      span,
      "fix: call fewer procedures within one another, or move inner blocks into procedures that return a result.",
    );
  }
  if (/invalid array length/i.test(problem.message)) {
    return new RuntimeError("This step makes a list longer than Prose can hold.", span, "fix: work through the data in parts, for example one file at a time.");
  }
  return problem;
}

/** A person answers one question at a time, however many iterations are waiting for one. */
function oneAtATime(askPerson: (question: Question) => Promise<Answer>): (question: Question) => Promise<Answer> {
  let queue: Promise<unknown> = Promise.resolve();
  return (question) => {
    const asked = queue.then(() => askPerson(question));
    queue = asked.catch(() => undefined);
    return asked;
  };
}


/** `find {name}`: a fact nobody set (or a document's field the model did not find) is nothing, not a question. */
function nothingWhenUnknown(read: () => Fact): Fact {
  try {
    return read();
  } catch (problem) {
    if (problem instanceof UnknownFact) return new Fact(NOTHING);
    throw problem;
  }
}

/** `are` binds a list: one item makes a list of one, and `nothing` an empty list. */
function assignedFact(line: Assignment, scope: Scope, environment: EvaluationEnvironment): Fact {
  const value = evaluateFact(line.value, scope, environment);
  if (!line.plural || value.value.kind === "list") return value;
  return new Fact(list(value.value.kind === "nothing" && !value.hasAttributes() ? [] : [value]));
}
