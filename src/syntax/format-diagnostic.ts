import type { Diagnostic } from "./diagnostic.js";
import { formatLocation } from "./span.js";

/**
 * `file:line:col: error: message`, then the source line and a caret under the place,
 * then any notes ("did you mean: …").
 */
export function formatDiagnostic(diagnostic: Diagnostic, source: string | undefined): string {
  const lines = [`${formatLocation(diagnostic.span)}: ${diagnostic.severity}: ${diagnostic.message}`];
  const sourceLine = source === undefined ? undefined : lineOf(source, diagnostic.span.start.line);
  if (sourceLine !== undefined && sourceLine.trim() !== "") {
    const shown = sourceLine.replace(/\t/g, "    ");
    const column = visualColumn(sourceLine, diagnostic.span.start.column);
    const sameLine = diagnostic.span.end.line === diagnostic.span.start.line;
    const width = sameLine ? Math.max(1, diagnostic.span.end.column - diagnostic.span.start.column) : 1;
    const caretWidth = Math.max(1, Math.min(width, shown.length - column + 1));
    lines.push(`  ${shown}`);
    lines.push(`  ${" ".repeat(Math.max(0, column - 1))}${"^".repeat(caretWidth)}`);
  }
  for (const note of diagnostic.notes ?? []) lines.push(`  ${note}`);
  return lines.join("\n");
}

function lineOf(source: string, lineNumber: number): string | undefined {
  const lines = source.split(/\r\n|\r|\n/);
  return lines[lineNumber - 1];
}

/** The column at which a caret must stand once tabs are shown as four spaces. */
function visualColumn(line: string, column: number): number {
  let visual = 1;
  for (let index = 0; index < column - 1 && index < line.length; index++) {
    visual += line[index] === "\t" ? 4 : 1;
  }
  return visual;
}
