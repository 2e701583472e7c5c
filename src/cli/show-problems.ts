import type { CheckedProgram } from "../check/check-script.js";
import type { Diagnostic } from "../syntax/diagnostic.js";
import { formatDiagnostic } from "../syntax/format-diagnostic.js";
import type { RunError } from "../runtime/run-program.js";
import type { Writer } from "./writer.js";

export function showDiagnostics(diagnostics: readonly Diagnostic[], program: CheckedProgram, writer: Writer): void {
  for (const diagnostic of diagnostics) writer.err(formatDiagnostic(diagnostic, program.sources.get(diagnostic.span.file)));
}

export function showRunError(error: RunError, program: CheckedProgram, writer: Writer): void {
  if (!error.span) {
    writer.err(`error: ${error.message}`);
    return;
  }
  writer.err(formatDiagnostic({ severity: "error", message: error.message, span: error.span, notes: error.fix ? [error.fix] : [] }, program.sources.get(error.span.file)));
}
