import type { LexProblem } from "../../grammar/lex-problem.js";
import { error, type Diagnostic } from "./diagnostic.js";
import { spanAt } from "./span.js";

/** A problem the lexer found, as an error diagnostic of the file it was found in. */
export function lexDiagnostic(problem: LexProblem, file: string): Diagnostic {
  return error(problem.kind, spanAt(file, problem.line, problem.column, problem.offset, problem.length), problem.message, [problem.fix]);
}
