import { basename } from "node:path";
import type { Span } from "../syntax/span.js";
import type { EvaluationEnvironment } from "./evaluate.js";
import type { Journal, StepKind } from "./journal.js";
import { strandContext } from "./journaled-context.js";
import type { LookAhead } from "./look-ahead.js";
import { guardedWhileLookingAhead } from "./look-ahead-guard.js";
import { QuestionDesk } from "./question-desk.js";
import type { AnswerSource } from "./questions.js";
import type { RunContext } from "./run-context.js";
import { Fact, NOTHING } from "./values.js";

/** What every strand of a run shares. */
export interface StrandSettings {
  /** The run's context; each strand gets a view of it (its own output, journaled steps). */
  context: RunContext;
  answers: AnswerSource;
  journal?: Journal;
}

/**
 * One line of execution: the whole run (the root strand), or one iteration of a parallel
 * loop. Inside a strand statements run one after another, so a strand can count its steps: a
 * step's key is the strand's path, the place of the statement running, the kind of step, and
 * how many steps of that kind this place made before in this strand —
 * `main.prose:4:5 model#1` in the root, `main.prose:3:1#1[2]/main.prose:4:5 model#1` in item 2
 * of the first run of the parallel loop at 3:1. Keys stay the same however iterations
 * interleave, so a resumed run finds each journaled result. The interpreter passes the strand
 * explicitly (no async context): it is the evaluation environment, and its `context` is the
 * RunContext its procedures see.
 */
export class Strand implements EvaluationEnvironment {
  /** `the above`: the value of this strand's previous statement. */
  lastValue: Fact = new Fact(NOTHING);
  /** The item names of the loops running now, innermost last: questions say which item they are about. */
  readonly loopItems: string[];
  /** How many procedure calls are running inside each other, to stop endless recursion in English. */
  callDepth: number;
  /** The statement running now: the place its steps are keyed by. */
  place: Span | undefined;
  readonly desk: QuestionDesk;
  /** Set once a question could not be answered headless: the strand looks ahead for more (see `LookAhead`). */
  lookAhead: LookAhead | undefined;
  readonly context: RunContext;
  private readonly counters = new Map<string, number>();

  constructor(
    /** "" for the root; otherwise ends with "/". */
    readonly path: string,
    private readonly settings: StrandSettings,
    say: (line: string) => void,
    parent?: Strand,
  ) {
    if (parent) this.lastValue = parent.lastValue;
    this.loopItems = parent ? [...parent.loopItems] : [];
    this.callDepth = parent?.callDepth ?? 0;
    this.place = parent?.place;
    this.context = guardedWhileLookingAhead(strandContext(settings.context, say, settings.journal, this), this);
    this.desk = new QuestionDesk(settings.answers, this.context, path);
  }

  now(): Date {
    return this.context.now();
  }

  above(): Fact {
    return this.lastValue;
  }

  /** The key of this strand's next step of a kind, at the statement running now. */
  nextStep(kind: StepKind): string {
    const here = `${this.where()} ${kind}`;
    return `${this.path}${here}#${this.count(here)}`;
  }

  /** `main.prose:4:5`: the running statement's place, for keys and messages. */
  where(): string {
    return this.place ? placeOf(this.place) : "start";
  }

  /** How many times this strand has reached `label` (1 the first time). */
  count(label: string): number {
    const occurrence = (this.counters.get(label) ?? 0) + 1;
    this.counters.set(label, occurrence);
    return occurrence;
  }

  /** The strand of item `index` (from 0) of the `run`-th run of the parallel loop at `loop`. */
  child(loop: Span, run: number, index: number, say: (line: string) => void): Strand {
    return new Strand(`${this.path}${placeOf(loop)}#${run}[${index + 1}]/`, this.settings, say, this);
  }
}

/** The file's name without its folder: keys are the same however the script's path was typed. */
export function placeOf(span: Span): string {
  return `${basename(span.file)}:${span.start.line}:${span.start.column}`;
}
