import { dirname, isAbsolute, resolve } from "node:path";
import type { CheckedProgram } from "../check/check-script.js";
import type { CallMatch } from "../check/match-call.js";
import type { Assignment, AskStatement, CallStatement, EachLoop, Expression, Reference, RepeatLoop, Statement, ValidateStatement } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import { display, displayFact } from "./display.js";
import { RuntimeError, ScriptFailure, StopSignal } from "./errors.js";
import { condition, evaluate, evaluateFact, type EvaluationEnvironment } from "./evaluate.js";
import type { ProcedureCall } from "./procedure.js";
import { assignReference } from "./references.js";
import type { RunContext } from "./run-context.js";
import { Scope } from "./scope.js";
import { UnknownFact } from "./unknown-fact.js";
import { Fact, list, NOTHING } from "./values.js";
import { asNumber } from "./arithmetic.js";
import { QuestionDesk } from "./question-desk.js";
import { referenceFromName } from "../syntax/name-reference.js";
import type { AnswerBook } from "./questions.js";

/** Deeper than any script needs, and far from where JavaScript's own stack would overflow. */
const MAX_CALL_DEPTH = 200;

/** A statement's work: nothing when it finished at once, a promise when it had to wait. */
type Step = void | Promise<void>;

/**
 * Runs a checked program. Statements run synchronously until one must wait (a file, a
 * question, a model call), so tight loops pay no promise per statement.
 */
export class Interpreter implements EvaluationEnvironment {
  readonly globals = new Scope();
  private lastValue: Fact = new Fact(NOTHING);
  /** The item names of the loops running now, innermost last: questions say which item they are about. */
  private readonly loopItems: string[] = [];
  /** How many procedure calls are running inside each other, to stop endless recursion in English. */
  private callDepth = 0;
  readonly desk: QuestionDesk;

  constructor(
    private readonly program: CheckedProgram,
    private readonly context: RunContext,
    answers: AnswerBook,
  ) {
    this.desk = new QuestionDesk(answers, context);
  }

  now(): Date {
    return this.context.now();
  }

  above(): Fact {
    return this.lastValue;
  }

  run(statements: readonly Statement[] = this.program.script.statements, scope: Scope = this.globals): Step {
    return this.sequence(statements, scope, 0);
  }

  private sequence(statements: readonly Statement[], scope: Scope, start: number): Step {
    for (let index = start; index < statements.length; index++) {
      const step = this.execute(statements[index], scope);
      if (step) return step.then(() => this.sequence(statements, scope, index + 1));
    }
  }

  /** Runs one statement; a fact it needs but doesn't know becomes a question, then it runs again. */
  private execute(statement: Statement, scope: Scope): Step {
    try {
      const step = this.dispatch(statement, scope);
      if (step) return step.catch((problem: unknown) => this.recover(problem, statement, scope));
    } catch (problem) {
      return this.recover(problem, statement, scope);
    }
  }

  private recover(problem: unknown, statement: Statement, scope: Scope): Step {
    if (!(problem instanceof UnknownFact)) throw problem;
    const answered = this.desk.askForValue(problem, scope, this.loopItems);
    return answered instanceof Promise ? answered.then(() => this.execute(statement, scope)) : this.execute(statement, scope);
  }

  private dispatch(statement: Statement, scope: Scope): Step {
    switch (statement.kind) {
      case "assign": {
        const value = assignedFact(statement, scope, this);
        assignReference(statement.target, value, scope);
        this.lastValue = value;
        return;
      }
      case "say":
        this.context.say(displayFact(evaluateFact(statement.value, scope, this)));
        return;
      case "if":
        for (const branch of statement.branches) {
          if (condition(branch.condition, scope, this)) return this.sequence(branch.body, scope, 0);
        }
        if (statement.otherwise) return this.sequence(statement.otherwise, scope, 0);
        return;
      case "each":
        return this.each(statement, scope);
      case "repeat":
        return this.repeat(statement, scope);
      case "ask":
        return this.ask(statement, scope);
      case "validate":
        return this.validate(statement, scope);
      case "stop":
        throw new StopSignal(statement.span);
      case "fail": {
        const message = statement.message ? display(evaluate(statement.message, scope, this)) : "The script failed.";
        throw new ScriptFailure(message, statement.span);
      }
      case "learn":
        return; // procedures of learned files were added to the phrasebook by `check`
      case "call":
        return this.call(statement, scope);
    }
  }

  private each(loop: EachLoop, scope: Scope): Step {
    const collection = evaluateFact(loop.collection, scope, this);
    const items = collection.value.kind === "list" ? [...collection.value.items] : collection.value.kind === "nothing" ? [] : [collection];
    const iterate = (index: number): Step => {
      for (let position = index; position < items.length; position++) {
        const iterationScope = loop.parallel ? new Scope(scope) : scope;
        iterationScope.set(loop.item, items[position]);
        const step = this.sequence(loop.body, iterationScope, 0);
        if (step) return step.then(() => iterate(position + 1));
      }
    };
    this.loopItems.push(loop.item);
    const done = () => void this.loopItems.pop();
    try {
      const step = iterate(0);
      if (step) return step.finally(done);
      done();
    } catch (problem) {
      done();
      throw problem;
    }
  }

  private repeat(loop: RepeatLoop, scope: Scope): Step {
    const count = this.wholeNumber(loop.count, scope, "repeat");
    const iterate = (start: number): Step => {
      for (let round = start; round < count; round++) {
        const step = this.sequence(loop.body, scope, 0);
        if (step) return step.then(() => iterate(round + 1));
      }
    };
    return iterate(0);
  }

  private wholeNumber(expression: Expression, scope: Scope, what: string): number {
    const value = evaluate(expression, scope, this);
    const found = asNumber(value);
    if (!found || !found.value.isInteger() || found.value.isNegative()) {
      throw new RuntimeError(`\`${what}\` needs a whole number of times, but got "${display(value)}".`, expression.span, "fix: give a count such as 3 or `the number of invoices`.");
    }
    return found.value.toNumber();
  }

  private ask(statement: AskStatement, scope: Scope): Step {
    const prompt = display(evaluate(statement.prompt, scope, this));
    const choices = statement.choices ? evaluate(statement.choices, scope, this) : undefined;
    const choiceTexts = choices === undefined ? [] : choices.kind === "list" ? choices.items.map((item) => display(item.value)) : [display(choices)];
    const answered = this.desk.ask(prompt, choiceTexts, statement.span);
    const store = (answer: Fact) => {
      scope.set("answer", answer);
      this.lastValue = answer;
    };
    if (answered instanceof Promise) return answered.then(store);
    store(answered);
  }

  private validate(statement: ValidateStatement, scope: Scope): Step {
    const failing = statement.checks.filter((check) => !this.desk.accepted.has(check) && !condition(check.condition, scope, this));
    if (failing.length === 0) {
      for (const check of statement.checks) this.desk.accepted.delete(check);
      return;
    }
    const settled = this.desk.settleFailedChecks(failing, scope, (check) => condition(check.condition, scope, this));
    return settled instanceof Promise ? settled.then(() => this.validate(statement, scope)) : this.validate(statement, scope);
  }

  private call(statement: CallStatement, scope: Scope): Step {
    const match = this.program.calls.get(statement);
    if (!match) throw new RuntimeError(`I don't know how to "${statement.text}".`, statement.span, "fix: run `prose check` on the script to see why.");
    const argumentsBySlot = new Map<string, Fact>();
    for (const [slot, expression] of match.arguments) argumentsBySlot.set(slot, evaluateFact(expression, scope, this));
    const block = new Scope();
    for (const line of statement.block) assignReference(line.target, assignedFact(line, scope, this), block);
    const result = match.entry.definition
      ? this.callDefinition(match, statement.span, argumentsBySlot, block)
      : this.callStandard(match, statement.span, argumentsBySlot, block, statement.resultName ?? match.entry.resultName);
    if (result instanceof Promise) return result.then((value) => this.storeResult(statement, match, value, scope));
    this.storeResult(statement, match, result, scope);
  }

  private callDefinition(match: CallMatch, span: Span, argumentsBySlot: Map<string, Fact>, block: Scope): Fact | Promise<Fact> {
    if (this.callDepth >= MAX_CALL_DEPTH) {
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
    this.callDepth++;
    let step: Step;
    try {
      step = this.sequence(match.entry.definition!.body, callScope, 0);
    } catch (problem) {
      this.callDepth--;
      throw problem;
    }
    if (!step) {
      this.callDepth--;
      return finish();
    }
    return step.then(
      () => {
        this.callDepth--;
        return finish();
      },
      (problem: unknown) => {
        this.callDepth--;
        throw problem;
      },
    );
  }

  private callStandard(match: CallMatch, span: Span, argumentsBySlot: Map<string, Fact>, block: Scope, resultName: string | undefined): Fact | undefined | Promise<Fact | undefined> {
    const call: ProcedureCall = {
      span,
      arguments: argumentsBySlot,
      block: block.facts,
      context: this.context,
      resultName,
      askValues: (subjects) => this.desk.askAbout(subjects, span),
      resolvePath: (path) => (isAbsolute(path) ? path : resolve(dirname(span.file), path)),
      fail: (message, fix) => {
        throw new RuntimeError(message, span, fix);
      },
    };
    const result = match.entry.standard!.run(call);
    const toFact = (value: Awaited<typeof result>) => (value === undefined ? undefined : value instanceof Fact ? value : new Fact(value));
    return result instanceof Promise ? result.then(toFact) : toFact(result);
  }

  /** `as the …` names the result; otherwise it changes its argument in place or takes its default name. */
  private storeResult(statement: CallStatement, match: CallMatch, result: Fact | undefined, scope: Scope): void {
    const value = result ?? new Fact(NOTHING);
    this.lastValue = value;
    if (result === undefined) return;
    if (statement.resultName) {
      assignReference(referenceFromName(statement.resultName, statement.span), value, scope);
      return;
    }
    const inPlace = match.entry.changesInPlace ? match.arguments.get(match.entry.changesInPlace) : undefined;
    if (inPlace?.kind === "reference") {
      assignReference(inPlace.reference, value, scope);
      return;
    }
    if (match.entry.resultName) scope.set(match.entry.resultName, value);
  }

  /** Sets a fact before the run, as `--input name=value` does. */
  setInput(reference: Reference, value: Fact): void {
    assignReference(reference, value, this.globals);
  }
}


/** `are` binds a list: one item makes a list of one, and `nothing` an empty list. */
function assignedFact(line: Assignment, scope: Scope, environment: EvaluationEnvironment): Fact {
  const value = evaluateFact(line.value, scope, environment);
  if (!line.plural || value.value.kind === "list") return value;
  return new Fact(list(value.value.kind === "nothing" && !value.hasAttributes() ? [] : [value]));
}
