import type { Span } from "./span.js";

export type Severity = "error" | "warning";

/** A user mistake found before running: data, never an exception. */
export interface Diagnostic {
  severity: Severity;
  message: string;
  span: Span;
  /** Extra lines shown under the caret, such as "did you mean: …". */
  notes?: string[];
}

export function error(span: Span, message: string, notes?: string[]): Diagnostic {
  return notes && notes.length > 0 ? { severity: "error", message, span, notes } : { severity: "error", message, span };
}

export function warning(span: Span, message: string, notes?: string[]): Diagnostic {
  return notes && notes.length > 0 ? { severity: "warning", message, span, notes } : { severity: "warning", message, span };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === "error");
}
