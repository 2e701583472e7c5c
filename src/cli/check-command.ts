import { hasErrors } from "../syntax/diagnostic.js";
import { locateWorkspace } from "../byom/workspace.js";
import { filesPolicyFor, type FilesFlags } from "./files-policy.js";
import { loadProgram, scriptFolder } from "./load-program.js";
import { showDiagnostics } from "./show-problems.js";
import type { Writer } from "./writer.js";
import { explainNames } from "./explain-names.js";

/** Where `prose check` looks for learned files: as `prose run` would (the script's folder, or --files, and the allowed folders). */
export interface CheckFiles extends FilesFlags {
  workspace?: string;
  environment: NodeJS.ProcessEnv;
  currentDirectory?: string;
  /** `--explain-names`: say which reading each ordinal name got (a list item or a plain fact). */
  explainNames?: boolean;
}

/**
 * `prose check FILE...`: every problem in every file, without running anything. With the agent's
 * provider ids (`--agent`), `the model provider is "…"` must name one of them. Learned files are
 * read under the same confinement as `prose run`.
 */
export function checkCommand(files: string[], writer: Writer, providerIds?: readonly string[], options: CheckFiles = { environment: process.env }): number {
  let errors = 0;
  let warnings = 0;
  const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory: options.currentDirectory ?? process.cwd() });
  for (const file of files) {
    const policy = filesPolicyFor(options, { root: scriptFolder(file), origin: "the script's folder", currentDirectory: process.cwd(), workspace, environment: options.environment });
    const program = loadProgram(file, policy, providerIds);
    showDiagnostics(program.diagnostics, program, writer);
    if (options.explainNames) explainNames(program, writer);
    errors += program.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
    warnings += program.diagnostics.filter((diagnostic) => diagnostic.severity === "warning").length;
    if (!hasErrors(program.diagnostics)) writer.out(`${file}: no problems found`);
  }
  if (errors > 0) writer.err(`${errors} error${errors === 1 ? "" : "s"}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""} found.`);
  return errors > 0 ? 2 : 0;
}
