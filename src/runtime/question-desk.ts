import type { Check, Reference } from "../syntax/ast.js";
import { isProperName, spokenName } from "../syntax/proper-names.js";
import type { Span } from "../syntax/span.js";
import { formatLocation } from "../syntax/span.js";
import { referencesIn } from "../syntax/walk.js";
import { answerToFact } from "./answer-values.js";
import { expectedHint, expectedKind, typedAnswer, type AnswerType } from "./answer-types.js";
import { assignReference, readReference } from "./references.js";
import { singularOf } from "../syntax/plurals.js";
import { display } from "./display.js";
import type { RunContext } from "./run-context.js";
import type { Scope } from "./scope.js";
import type { UnknownFact } from "./unknown-fact.js";
import { questionId, QuestionsPending, type Answer, type AnswerSource, type Question, type QuestionKind } from "./questions.js";
import { Fact, list, NOTHING, text } from "./values.js";

/**
 * Where questions are raised and answered: from the answers given to the run, from a person
 * at a terminal, or — when neither can answer — by stopping the run to wait.
 * Question ids are stable: the same question at the same place, for the same fact, asked for
 * the n-th time in a run, always has the same id. Each iteration of a parallel loop has a desk
 * of its own (`strand` is its step path), so its ids do not depend on when it ran.
 */
export class QuestionDesk {
  private readonly occurrences = new Map<string, number>();

  constructor(
    private readonly answers: AnswerSource,
    private readonly context: RunContext,
    private readonly strand = "",
  ) {}

  /**
   * An unknown fact: ask for its value and set it. With a type (`get … as a number`), the
   * question says so and an answer of another type keeps it open, saying why.
   */
  askForValue(unknown: UnknownFact, scope: Scope, loopItems: readonly string[] = [], type?: AnswerType): void | Promise<void> {
    const reference = unknown.reference;
    const plural = looksPlural(reference);
    const about = loopItems.includes(reference.segments[0].name) ? aboutWhich(reference, scope) : "";
    const text = `What ${plural ? "are" : "is"} ${reference.text}?${type ? ` (${expectedHint(type)})` : ""}${about}`;
    const question = this.question("value", text, reference.span, reference.text, []);
    if (type) question.expects = type;
    const set = (answer: Answer): void | Promise<void> => {
      if (!type) return assignReference(reference, plural ? this.listOf(answer) : this.valueOf(answer), scope);
      const typed = "value" in answer ? typedAnswer(type, answer.value) : new Fact(NOTHING);
      if (!("problem" in typed)) return assignReference(reference, typed, scope);
      const problem = `${typed.problem} The answer must be ${expectedKind(type)}.`;
      if (this.context.askPerson) return this.context.askPerson({ ...question, problem }).then(set);
      throw new QuestionsPending([{ ...question, problem }]);
    };
    const answer = this.obtain(question);
    if (answer === undefined) throw new QuestionsPending([question]);
    return answer instanceof Promise ? answer.then(set) : set(answer);
  }

  /** Values a procedure could not find; every unanswered one is listed when the run must wait. */
  async askAbout(subjects: string[], span: Span): Promise<Fact[]> {
    const pending: Question[] = [];
    const answers = subjects.map((subject) => {
      const question = this.question("value", `What is ${subject}?`, span, subject, []);
      const answer = this.obtain(question);
      if (answer === undefined) pending.push(question);
      return answer;
    });
    if (pending.length > 0) throw new QuestionsPending(pending);
    const facts: Fact[] = [];
    for (const answer of answers) facts.push(this.valueOf(await answer!));
    return facts;
  }

  /** `ask "…"`, with choices or without. */
  ask(prompt: string, choices: string[], span: Span): Fact | Promise<Fact> {
    const question = this.question(choices.length > 0 ? "choice" : "value", prompt, span, prompt, choices);
    const accept = (answer: Answer): Fact | Promise<Fact> => {
      const fact = this.valueOf(answer);
      if (choices.length === 0 || fact.value.kind === "nothing") return fact;
      const chosen = choices.find((choice) => choice.trim().toLowerCase() === String(displayAnswer(answer)).trim().toLowerCase());
      if (chosen !== undefined) return new Fact(text(chosen));
      const problem = `"${displayAnswer(answer)}" is not one of the choices: ${choices.join(", ")}.`;
      if (this.context.askPerson) return this.context.askPerson({ ...question, problem }).then(accept);
      throw new QuestionsPending([{ ...question, problem }]);
    };
    const answer = this.obtain(question);
    if (answer === undefined) throw new QuestionsPending([question]);
    return answer instanceof Promise ? answer.then(accept) : accept(answer);
  }

  /**
   * Each failing `ensure` becomes one validation question. An answer gives a corrected value
   * for the first fact the condition names; `skip` accepts it as it is. The checks are then
   * run again by the caller. Headless, every unanswered one is listed at once.
   */
  settleFailedChecks(failing: Check[], scope: Scope, recheck: (check: Check) => boolean): void | Promise<void> {
    const pending: Question[] = [];
    const waits: Array<Promise<void>> = [];
    for (const check of failing) {
      const subject = referencesIn(check.condition)[0];
      const text = subject
        ? `Check failed: ${check.source}. What should ${subject.text} be? (answer skip to accept it as it is)`
        : `Check failed: ${check.source}. Answer skip to go on anyway.`;
      const question = this.question("validation", text, check.span, check.source, [], subject?.text);
      // A person's answer that still fails is asked about again by `validate`; a given answer
      // (`--answer`, the journal) would be found again and again, so its question stays open, saying why.
      const settle = (answer: Answer, given: boolean): void | Promise<void> => {
        if ("skip" in answer || !subject) {
          this.accepted.add(check);
          return;
        }
        assignReference(subject, this.valueOf(answer), scope);
        if (recheck(check)) {
          this.accepted.add(check);
          return;
        }
        if (!given) return;
        const problem = `${subject.text} = ${String(displayAnswer(answer))} still fails the check (${check.source}).`;
        if (this.context.askPerson) return this.context.askPerson({ ...question, problem }).then((next) => settle(next, false));
        pending.push({ ...question, problem });
      };
      const given = this.answers.find(question);
      if (given !== undefined) {
        const settled = settle(given, true);
        if (settled) waits.push(settled);
      } else if (this.context.askPerson) waits.push(this.context.askPerson(question).then((answer) => settle(answer, false)));
      else pending.push(question);
    }
    if (pending.length > 0) throw new QuestionsPending(pending);
    if (waits.length > 0) return Promise.all(waits).then(() => undefined);
  }

  /**
   * A piece of work failed (an iteration of a parallel loop): a `failure` question, answered
   * `retry` (do it again) or `skip` (go on without it). `span` places the question's id;
   * `at` shows where the failure happened.
   */
  settleFailure(subject: string, questionText: string, span: Span, at: string): "retry" | "skip" | Promise<"retry" | "skip"> {
    const question = { ...this.question("failure", questionText, span, subject, ["retry", "skip"]), at };
    const decide = (answer: Answer): "retry" | "skip" | Promise<"retry" | "skip"> => {
      if ("retry" in answer) return "retry";
      if ("skip" in answer) return "skip";
      const typed = String(displayAnswer(answer)).trim().toLowerCase();
      if (typed === "retry" || typed === "skip") return typed;
      const problem = `"${displayAnswer(answer)}" is neither retry nor skip.`;
      if (this.context.askPerson) return this.context.askPerson({ ...question, problem }).then(decide);
      throw new QuestionsPending([{ ...question, problem }]);
    };
    const answer = this.obtain(question);
    if (answer === undefined) throw new QuestionsPending([question]);
    return answer instanceof Promise ? answer.then(decide) : decide(answer);
  }

  /** Checks a person has accepted as they are: `validate` does not ask about them again. */
  readonly accepted = new Set<Check>();

  /** `answeredBy`: the fact an answer sets, by which it may be given (value questions: their subject). */
  private question(kind: QuestionKind, questionText: string, span: Span, subject: string, choices: string[], answeredBy?: string): Question {
    const key = `${kind}|${formatLocation(span)}|${subject.toLowerCase()}`;
    const occurrence = (this.occurrences.get(key) ?? 0) + 1;
    this.occurrences.set(key, occurrence);
    const question: Question = { id: questionId(kind, span, subject, occurrence, this.strand), kind, text: questionText, at: formatLocation(span), choices };
    if (answeredBy !== undefined) question.subject = answeredBy;
    else if (kind === "value" && (subject.startsWith("the ") || isProperName(subject))) question.subject = subject;
    return question;
  }

  private obtain(question: Question): Answer | Promise<Answer> | undefined {
    const given = this.answers.find(question);
    if (given) return given;
    if (this.context.askPerson) return this.context.askPerson(question);
    return undefined;
  }

  /** An answer about a plural name: "a, b and c" is a list of three. */
  private listOf(answer: Answer): Fact {
    if ("value" in answer && typeof answer.value === "string") {
      const items = answer.value.split(/\s*,\s*(?:and\s+)?|\s+and\s+/).filter((item) => item.trim() !== "");
      return new Fact(list(items.map((item) => answerToFact(item))));
    }
    const fact = this.valueOf(answer);
    return fact.value.kind === "list" || fact.value.kind === "nothing" ? fact : new Fact(list([fact]));
  }

  private valueOf(answer: Answer): Fact {
    if ("skip" in answer || "retry" in answer) return new Fact(NOTHING);
    return answerToFact(answer.value);
  }
}

/** `the invoices`, `the order's lines`: a plural last word, not picked by an ordinal. */
function looksPlural(reference: Reference): boolean {
  const last = reference.segments[reference.segments.length - 1];
  return !last.ordinal && singularOf(last.name) !== last.name;
}

/**
 * In a loop the same question comes once per item: say which item it is about, with the item's
 * value or its first plain attribute ("(the invoice's number is INV-7)").
 */
function aboutWhich(reference: Reference, scope: Scope): string {
  if (reference.segments.length < 2) return "";
  try {
    const owner = readReference({ ...reference, segments: reference.segments.slice(0, 1), text: spokenName([reference.segments[0].name]) }, scope);
    const name = spokenName([reference.segments[0].name]);
    if (plain(owner)) return ` (${name} is ${display(owner.value)})`;
    const [attribute, fact] = [...(owner.attributes ?? [])].find(([, candidate]) => plain(candidate)) ?? [];
    if (attribute && fact) return ` (${name}'s ${attribute} is ${display(fact.value)})`;
  } catch {
    // The owner is unknown too: the question already names it.
  }
  return "";
}

function plain(fact: Fact): boolean {
  return fact.value.kind === "text" || fact.value.kind === "number" || fact.value.kind === "date";
}

function displayAnswer(answer: Answer): unknown {
  return "value" in answer ? answer.value : "";
}
