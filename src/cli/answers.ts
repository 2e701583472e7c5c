import { AnswerBook, type Answer } from "../runtime/questions.js";
import { UsageError } from "./usage-error.js";

/**
 * `--answers FILE` (a JSON object from question id or text to an answer) and
 * `--answer "the vendor's email=x@y.z"`. An answer is a value, `{"skip": true}` or `{"retry": true}`.
 */
export function readAnswers(fileContents: string | undefined, fileName: string | undefined, pairs: string[]): AnswerBook {
  const book = new AnswerBook();
  if (fileContents !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fileContents);
    } catch (problem) {
      throw new UsageError(`The answers file ${fileName} is not valid JSON: ${(problem as Error).message}.`, 'Write it as {"q-…": "answer", "What is the vendor\'s email?": "x@y.z"}.');
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new UsageError(`The answers file ${fileName} must hold one JSON object, from question id or text to answer.`, 'For example: {"q-1a2b3c4d5e6f": "Email"}.');
    }
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) book.add(key, toAnswer(value));
  }
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new UsageError(`--answer "${pair}" ${equals < 0 ? 'has no "="' : 'names nothing before "="'}.`, 'Write it as --answer "the vendor\'s email=x@y.z" or --answer "q-1a2b3c4d5e6f=Email".');
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    const lower = value.trim().toLowerCase();
    book.add(key, lower === "skip" ? { skip: true } : lower === "retry" ? { retry: true } : { value });
  }
  return book;
}

function toAnswer(value: unknown): Answer {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record.skip === true) return { skip: true };
    if (record.retry === true) return { retry: true };
    if ("value" in record) return { value: record.value };
  }
  return { value };
}
