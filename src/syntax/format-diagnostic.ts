import type { Diagnostic } from "./diagnostic.js";
import { formatLocation } from "./span.js";

/**
 * `file:line:col: error: message`, then the source line and a caret under the place,
 * then any notes ("did you mean: …").
 */
export function formatDiagnostic(diagnostic: Omit<Diagnostic, "code">, source: string | undefined): string {
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

/**
 * Where each line of the last source shown starts. A file with 40,000 mistakes is shown
 * diagnostic after diagnostic: splitting the whole source for each one made showing them cost
 * the square of the file's length.
 */
let lineStarts: { source: string; starts: number[] } | undefined;

function lineOf(source: string, lineNumber: number): string | undefined {
  if (lineStarts?.source !== source) lineStarts = { source, starts: startsOfLines(source) };
  const starts = lineStarts.starts;
  if (lineNumber < 1 || lineNumber > starts.length) return undefined;
  const start = starts[lineNumber - 1];
  let end = lineNumber < starts.length ? starts[lineNumber] : source.length;
  while (end > start && (source[end - 1] === "\n" || source[end - 1] === "\r")) end--;
  return source.slice(start, end);
}

/** Line breaks as the lexer reads them: `\r\n`, `\r` or `\n`. */
function startsOfLines(source: string): number[] {
  const starts = [0];
  for (let index = 0; index < source.length; index++) {
    const character = source.charCodeAt(index);
    if (character === 13 /* \r */) {
      if (source.charCodeAt(index + 1) === 10) index++;
      starts.push(index + 1);
    } else if (character === 10 /* \n */) {
      starts.push(index + 1);
    }
  }
  return starts;
}

/** The column at which a caret must stand once tabs are shown as four spaces. */
function visualColumn(line: string, column: number): number {
  let visual = 1;
  for (let index = 0; index < column - 1 && index < line.length; index++) {
    visual += line[index] === "\t" ? 4 : 1;
  }
  return visual;
}
