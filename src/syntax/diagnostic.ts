import type { Span } from "./span.js";

export type Severity = "error" | "warning";

/**
 * What kind of mistake a diagnostic reports, stable across rewordings of its message: the REPL,
 * tests and tools decide on the code, never on the English. Documented in docs/diagnostics.md;
 * a new kind of mistake gets a new code there and here.
 */
export const diagnosticCodes = [
  // Reading the text (the lexer and the indentation).
  "unreadable-character",
  "unclosed-text",
  "bad-indentation",
  // Reading each line (the grammar) and the blocks under lines.
  "unreadable-line",
  "nesting-too-deep",
  "block-expected",
  "unexpected-block",
  "wrong-line-in-block",
  "misplaced-otherwise",
  "definition-not-top-level",
  "bad-procedure-name",
  "bad-text-value",
  "ambiguous-filter",
  // Checking the script (calls, procedures, learned files, providers).
  "unknown-call",
  "ambiguous-call",
  "call-too-complex",
  "unexpected-block-fact",
  "duplicate-procedure",
  "bad-learn-path",
  "learn-file-not-found",
  "unknown-provider",
  "disabled-provider",
  "provider-refused-by-policy",
  "unknown-credential",
  "parallel-shared-fact",
  "procedure-hidden-by-statement",
  "bad-pattern",
  "unset-fact",
  "lone-name",
  "name-without-the",
  // Test files (`prose test`).
  "line-outside-test",
  "no-tests",
] as const;

export type DiagnosticCode = (typeof diagnosticCodes)[number];

/** A user mistake found before running: data, never an exception. */
export interface Diagnostic {
  /** The kind of mistake (see `diagnosticCodes`): what code matches on. */
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
  /** Extra lines shown under the caret, such as "did you mean: …". */
  notes?: string[];
}

export function error(code: DiagnosticCode, span: Span, message: string, notes?: string[]): Diagnostic {
  return notes && notes.length > 0 ? { code, severity: "error", message, span, notes } : { code, severity: "error", message, span };
}

export function warning(code: DiagnosticCode, span: Span, message: string, notes?: string[]): Diagnostic {
  return notes && notes.length > 0 ? { code, severity: "warning", message, span, notes } : { code, severity: "warning", message, span };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === "error");
}
