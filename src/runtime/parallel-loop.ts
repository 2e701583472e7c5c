import type { EachLoop, Statement } from "../syntax/ast.js";
import { formatLocation } from "../syntax/span.js";
import { display } from "./display.js";
import { RuntimeError } from "./errors.js";
import { QuestionsPending, type Question } from "./questions.js";
import { Scope } from "./scope.js";
import { placeOf, type Strand } from "./strand.js";
import type { Fact } from "./values.js";
import { loopCollection } from "../check/loop-collection.js";

/** Runs a block in a strand: the interpreter's `sequence`. */
export type RunBlock = (statements: readonly Statement[], scope: Scope, strand: Strand) => void | Promise<void>;

/** How one iteration ended; `lines` are what it said, shown once the items before it are shown. */
type Outcome =
  | { kind: "done"; lines: string[] }
  | { kind: "questions"; lines: string[]; questions: Question[] }
  /** `stop`, `fail`, or an internal error: the run ends with it once the running iterations finish. */
  | { kind: "end"; lines: string[]; problem: unknown };

export interface ParallelLoop {
  loop: EachLoop;
  items: Fact[];
  scope: Scope;
  strand: Strand;
  /** How many iterations run at once. */
  limit: number;
  runBlock: RunBlock;
}

/**
 * `process each … in parallel`: up to `limit` iterations at once, each in a strand and a scope
 * of its own. What an iteration says is held until every item before it is done, so the output
 * keeps the items' order, one iteration's lines together. An iteration that needs an answer, or
 * that fails (a `failure` question: retry or skip), does not stop the others; when all have
 * finished, the run waits with every iteration's questions. `stop`, `fail` and internal errors
 * start no new iteration and end the run once the running ones are done.
 */
export function runParallelLoop(work: ParallelLoop): Promise<void> {
  const { loop, items, strand } = work;
  const run = strand.count(`${placeOf(loop.span)} loop`);
  const count = items.length;
  const outcomes = new Array<Outcome | undefined>(count);
  strand.context.progress?.({ kind: "items", added: count });
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let running = 0;
    let shown = 0;
    let ending = false;
    const showDone = () => {
      for (; shown < count && outcomes[shown]; shown++) for (const line of outcomes[shown]!.lines) strand.context.say(line);
    };
    const finish = () => {
      const ended = outcomes.find((outcome) => outcome?.kind === "end");
      if (ended?.kind === "end") throw ended.problem;
      const questions = outcomes.flatMap((outcome) => (outcome?.kind === "questions" ? outcome.questions : []));
      if (questions.length > 0) throw new QuestionsPending(questions);
    };
    const launch = () => {
      while (running < work.limit && next < count && !ending) {
        const index = next++;
        running += 1;
        void iteration(work, run, index).then((outcome) => {
          try {
            running -= 1;
            outcomes[index] = outcome;
            if (outcome.kind === "end") ending = true;
            strand.context.progress?.({ kind: "item-done" });
            showDone();
            if (running > 0 || (next < count && !ending)) return launch();
            finish();
            resolve();
          } catch (problem) {
            reject(problem);
          }
        });
      }
    };
    if (count === 0) resolve();
    else launch();
  });
}

/** One item: attempts until it is done, waits on questions, or a person skips it. */
async function iteration(work: ParallelLoop, run: number, index: number): Promise<Outcome> {
  const { loop, items, strand } = work;
  for (;;) {
    const lines: string[] = [];
    const child = strand.child(loop.span, run, index, (line) => lines.push(line));
    child.loopItems.push(loop.item);
    const scope = new Scope(work.scope);
    scope.set(loop.item, items[index]);
    try {
      await work.runBlock(loop.body, scope, child);
      return { kind: "done", lines };
    } catch (problem) {
      if (problem instanceof QuestionsPending) return { kind: "questions", lines, questions: problem.questions };
      if (!(problem instanceof RuntimeError)) return { kind: "end", lines, problem };
      try {
        const decision = await strand.desk.settleFailure(`item ${index + 1}`, failureText(work, index, problem), loop.span, formatLocation(problem.span));
        // A retry is a fresh attempt: its steps replay from the journal up to the failure, and
        // only its own lines are shown.
        if (decision === "skip") return { kind: "done", lines };
      } catch (pending) {
        if (pending instanceof QuestionsPending) return { kind: "questions", lines, questions: pending.questions };
        return { kind: "end", lines, problem: pending };
      }
    }
  }
}

function failureText(work: ParallelLoop, index: number, problem: RuntimeError): string {
  const written = loopCollection(work.loop);
  const collection = written.kind === "reference" ? written.reference.text : "the items";
  const item = describeItem(work.items[index]);
  return `Item ${index + 1} of ${collection}${item ? ` (${item})` : ""} failed: ${problem.message} Answer retry to run it again, or skip to go on without it.`;
}

/** A short name for an item: its value, or its first plain attribute. */
function describeItem(fact: Fact): string {
  const plain = (candidate: Fact) => ["text", "number", "date"].includes(candidate.value.kind);
  let shown: string | undefined;
  if (plain(fact)) shown = display(fact.value);
  else {
    const [name, attribute] = [...(fact.attributes ?? [])].find(([, candidate]) => plain(candidate)) ?? [];
    if (name && attribute) shown = `${name}: ${display(attribute.value)}`;
  }
  if (shown === undefined) return "";
  return shown.length > 60 ? `${shown.slice(0, 59)}…` : shown;
}
