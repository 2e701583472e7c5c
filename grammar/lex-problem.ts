/**
 * A problem the lexer found in the source text: where it is (lines and columns from 1, offsets
 * from 0), what is wrong and how to fix it. The grammar knows nothing of files or diagnostics;
 * src/syntax turns each problem into a diagnostic of the file it reads.
 */
export interface LexProblem {
  /** What kind of problem it is; syntax gives its diagnostic the same code. */
  kind: "unreadable-character" | "unclosed-text" | "bad-indentation";
  line: number;
  column: number;
  offset: number;
  length: number;
  message: string;
  /** What to do about it, as the note shown under the caret ("fix: …"). */
  fix: string;
}
