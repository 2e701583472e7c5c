/**
 * The bound on a model's output (LANGUAGE.md §10.6): every request carries one, the procedure's
 * default or the call's `the maximum length is … tokens`. An answer cut by it is asked again once
 * with twice the bound (never more than `largestRetryBound`); cut again, it is an `AnswerCut`,
 * which the procedure turns into a question.
 */

/** The most tokens the one retry of a cut answer may ask for. */
export const largestRetryBound = 32_768;

/** The most a script may write in `the maximum length is … tokens`. */
export const largestMaximumLength = 1_000_000;

/** The bound of the retry after a cut answer; undefined when it could not be larger. */
export function retryBound(bound: number): number | undefined {
  const larger = Math.min(bound * 2, largestRetryBound);
  return larger > bound ? larger : undefined;
}

/** Default bounds, per procedure (documented in docs/language-decisions.md, "LLM procedures (v1)"). */
export const defaultBounds = {
  /** `classify`: one category name in a small JSON object. */
  classify: 256,
  /** `summarize`: a paragraph or a few; `the length is …` asks for more within it. */
  summarize: 2048,
  /** `ask the model` with a text or a list of texts. */
  askText: 2048,
  /** `ask the model` with a number or a date. */
  askShort: 256,
  /** `ask the model` with `the response format is "json"`. */
  askJson: 4096,
  /** `extract a table`: many rows. */
  table: 8192,
} as const;

/** `extract data` and a document's field reads: sized for the fields asked. */
export function fieldsBound(formats: readonly string[]): number {
  return 256 + formats.reduce((sum, format) => sum + (format === "text" || format === "list" ? 1024 : 128), 0);
}

/** `translate`: about as long as the source (a token is about 3 characters; translations run longer). */
export function translationBound(sourceCharacters: number): number {
  return Math.min(16_384, Math.max(1024, Math.ceil(sourceCharacters / 2)));
}

/** The model's answer was cut by the output bound twice (or once at the largest bound). */
export class AnswerCut extends Error {
  constructor(
    /** The bound of the last attempt. */
    readonly bound: number,
  ) {
    super(`The model's answer was cut at its output bound of ${bound} tokens.`);
  }

  /** What to write in the call's block to let the model write more. */
  get fix(): string {
    return `add \`the maximum length is ${Math.min(this.bound * 2, largestMaximumLength)} tokens\` to the call's block`;
  }
}
