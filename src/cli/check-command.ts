import type { AgentProviders } from "../check/check-script.js";
import { expectedInputs, type ExpectedInput } from "../check/expected-inputs.js";
import { unsetFactWarnings } from "../check/unset-facts.js";
import type { Diagnostic } from "../syntax/diagnostic.js";
import { formatLocation } from "../syntax/span.js";
import { inReadingOrder } from "../session/compile-script.js";
import { locateWorkspace } from "../byom/workspace.js";
import { filesPolicyFor, type FilesFlags } from "./files-policy.js";
import { loadProgram, scriptFolder } from "./load-program.js";
import { showDiagnostics } from "./show-problems.js";
import { UsageError } from "./usage-error.js";
import type { Writer } from "./writer.js";
import { explainNames } from "./explain-names.js";

/** Where `prose check` looks for learned files: as `prose run` would (the script's folder, or --files, and the allowed folders). */
export interface CheckFiles extends FilesFlags {
  workspace?: string;
  environment: NodeJS.ProcessEnv;
  currentDirectory?: string;
  /** `--explain-names`: say which reading each ordinal name got (a list item or a plain fact). */
  explainNames?: boolean;
  /** `--strict`: warnings count as errors (exit 2), for CI. */
  strict?: boolean;
  /** `--inputs`: print the facts each script expects from outside, instead of "no problems found". */
  inputs?: boolean;
  /** `--json` with `--inputs`: one JSON object. */
  json?: boolean;
  /** The agent's secret names (with `--agent`): `the credential "…"` must name one. */
  secretNames?: readonly string[];
}

/**
 * `prose check FILE...`: every problem in every file, without running anything. With the agent's
 * provider ids (`--agent`), `the model provider is "…"` must name one of them. Learned files are
 * read under the same confinement as `prose run`.
 */
export function checkCommand(files: string[], writer: Writer, providers?: AgentProviders, options: CheckFiles = { environment: process.env }): number {
  if (options.json && !options.inputs) throw new UsageError("`prose check --json` prints the list of inputs: it goes with --inputs.", "Write `prose check --inputs --json FILE`.");
  let errors = 0;
  let warnings = 0;
  const inputs: ExpectedInput[] = [];
  const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory: options.currentDirectory ?? process.cwd() });
  for (const file of files) {
    const policy = filesPolicyFor(options, { root: scriptFolder(file), origin: "the script's folder", currentDirectory: process.cwd(), workspace, environment: options.environment });
    const program = loadProgram(file, policy, providers, options.secretNames);
    const diagnostics = inReadingOrder([...program.diagnostics, ...unsetFactWarnings(program)], program.script.file).map((diagnostic) => (options.strict && diagnostic.severity === "warning" ? strictly(diagnostic) : diagnostic));
    showDiagnostics(diagnostics, program, writer);
    if (options.explainNames) explainNames(program, writer);
    const fileErrors = diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
    const fileWarnings = diagnostics.length - fileErrors;
    errors += fileErrors;
    warnings += fileWarnings;
    if (options.inputs) inputs.push(...expectedInputs(program));
    else if (fileErrors === 0) writer.out(fileWarnings === 0 ? `${file}: no problems found` : `${file}: no errors, ${count(fileWarnings, "warning")}`);
  }
  if (options.inputs) showInputs(inputs, options.json === true, writer);
  if (errors > 0) writer.err(`${count(errors, "error")}${warnings > 0 ? `, ${count(warnings, "warning")}` : ""} found.`);
  else if (warnings > 0) writer.err(`${count(warnings, "warning")} found (\`prose check --strict\` makes warnings errors).`);
  return errors > 0 ? 2 : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** With `--strict` a warning is an error, shown and counted as one. */
function strictly(diagnostic: Diagnostic): Diagnostic {
  return { ...diagnostic, severity: "error" };
}

/**
 * `--inputs`: one line per fact, `the vendor's email  (read at invoice.prose:14:5)`, or with
 * `--json` one object `{"inputs": [{"name", "kind", "at"}]}`. `read`: the run asks when it reaches
 * the line without it; `get`: the script asks for it on purpose.
 */
function showInputs(inputs: readonly ExpectedInput[], json: boolean, writer: Writer): void {
  if (json) {
    writer.out(JSON.stringify({ inputs: inputs.map((input) => ({ name: input.name, kind: input.kind, at: formatLocation(input.span) })) }, null, 2));
    return;
  }
  if (inputs.length === 0) {
    writer.out("This script expects no inputs.");
    return;
  }
  const width = Math.max(...inputs.map((input) => input.name.length));
  for (const input of inputs) writer.out(`${input.name.padEnd(width)}  (${input.kind === "get" ? "asked with get" : "read"} at ${formatLocation(input.span)})`);
}
