import { hasErrors } from "../syntax/diagnostic.js";
import { loadProgram } from "./load-program.js";
import { showDiagnostics } from "./show-problems.js";
import type { Writer } from "./writer.js";

/**
 * `prose check FILE...`: every problem in every file, without running anything. With the agent's
 * provider ids (`--agent`), `the model provider is "…"` must name one of them.
 */
export function checkCommand(files: string[], writer: Writer, providerIds?: readonly string[]): number {
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const program = loadProgram(file, providerIds);
    showDiagnostics(program.diagnostics, program, writer);
    errors += program.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
    warnings += program.diagnostics.filter((diagnostic) => diagnostic.severity === "warning").length;
    if (!hasErrors(program.diagnostics)) writer.out(`${file}: no problems found`);
  }
  if (errors > 0) writer.err(`${errors} error${errors === 1 ? "" : "s"}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""} found.`);
  return errors > 0 ? 2 : 0;
}
