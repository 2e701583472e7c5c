import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { Span } from "../syntax/span.js";

export type QuestionKind = "value" | "choice" | "validation" | "failure";

/** Something the run needs from a person. Its id is stable across runs of the same script. */
export interface Question {
  id: string;
  kind: QuestionKind;
  text: string;
  at: string;
  choices: string[];
  /** The fact the answer sets, as written: "the vendor's email". Answers may name it. */
  subject?: string;
  /** The type a typed `get` expects: "number", "date", "text", "yes or no" or "list". */
  expects?: string;
  /** Why an earlier answer was not taken, if one was given. */
  problem?: string;
}

/** An answer: a value, or `{skip: true}` (the value becomes nothing), or `{retry: true}`. */
export type Answer = { value: unknown } | { skip: true } | { retry: true };

/**
 * The place in the hash names the file without its folder, so that an id is the same however
 * the script's path was typed (`x.prose`, `./x.prose`, `examples/x.prose`, an absolute path).
 * Inside an iteration of a parallel loop, `strand` (the iteration's step path) is hashed too:
 * iterations raise their questions in any order, and each keeps its own ids.
 */
export function questionId(kind: QuestionKind, span: Span, subject: string, occurrence: number, strand = ""): string {
  const place = `${basename(span.file)}:${span.start.line}:${span.start.column}`;
  const hash = createHash("sha256").update(`${kind}\u0000${place}\u0000${subject.toLowerCase()}\u0000${occurrence}`);
  if (strand !== "") hash.update(`\u0000${strand}`);
  return `q-${hash.digest("hex").slice(0, 12)}`;
}

/** Thrown when the run must stop and wait: headless, with no answer given. */
export class QuestionsPending {
  constructor(readonly questions: Question[]) {}
}

/** Where the run looks for an answer before it asks a person or waits. */
export interface AnswerSource {
  find(question: Pick<Question, "id" | "text" | "subject">): Answer | undefined;
}

/**
 * Answers given to a run, found by question id, by the question's text, or by the fact the
 * question is about ("the vendor's email").
 */
export class AnswerBook implements AnswerSource {
  private readonly answers = new Map<string, Answer>();
  /** Each key as it was written, to name it in a warning. */
  private readonly written = new Map<string, string>();
  private readonly used = new Set<string>();

  add(key: string, answer: Answer): void {
    const normalized = normalizeKey(key);
    this.answers.set(normalized, answer);
    this.written.set(normalized, key.trim());
  }

  find(question: Pick<Question, "id" | "text" | "subject">): Answer | undefined {
    for (const key of [question.id, question.text, question.subject]) {
      if (key === undefined) continue;
      const normalized = normalizeKey(key);
      const answer = this.answers.get(normalized);
      if (answer === undefined) continue;
      this.used.add(normalized);
      return answer;
    }
    return undefined;
  }

  /** The keys, as written, that answered no question the run asked. */
  unused(): string[] {
    return [...this.written].filter(([normalized]) => !this.used.has(normalized)).map(([, key]) => key);
  }

  get size(): number {
    return this.answers.size;
  }

  /** Every answer with its key as written: what a queued attempt carries to the worker (`AnswerBook.of`). */
  entries(): Array<[string, Answer]> {
    return [...this.answers].map(([normalized, answer]) => [this.written.get(normalized) ?? normalized, answer]);
  }

  /** The book of `entries()`. */
  static of(entries: Iterable<[string, Answer]>): AnswerBook {
    const book = new AnswerBook();
    for (const [key, answer] of entries) book.add(key, answer);
    return book;
  }
}

function normalizeKey(key: string): string {
  return key.trim().toLowerCase().replace(/\s+/g, " ").replace(/[’]/g, "'");
}
