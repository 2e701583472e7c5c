import type { Script } from "./ast.js";
import type { Diagnostic } from "./diagnostic.js";
import { tokenize } from "../../grammar/lexer.js";
import { lexDiagnostic } from "./lex-diagnostic.js";
import { splitLines } from "./source-lines.js";
import { StatementBuilder } from "./build-statements.js";

export interface ParseResult {
  script: Script;
  diagnostics: Diagnostic[];
}

/** Source text → AST and every syntax problem found, never an exception for bad input. */
export function parseScript(source: string, file: string): ParseResult {
  const { tokens, problems } = tokenize(source);
  const lexical = problems.map((problem) => lexDiagnostic(problem, file));
  const builder = new StatementBuilder(file);
  const statements = builder.block(splitLines(tokens), true);
  const diagnostics = [...lexical, ...builder.diagnostics].sort(
    (a, b) => a.span.start.offset - b.span.start.offset,
  );
  return { script: { file, source, statements, definitions: builder.definitions }, diagnostics };
}
