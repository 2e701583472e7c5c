/** A place in a source file. Lines and columns count from 1; offsets from 0. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Span {
  file: string;
  start: Position;
  end: Position;
}

export function spanAt(file: string, line: number, column: number, offset: number, length = 1): Span {
  return {
    file,
    start: { line, column, offset },
    end: { line, column: column + length, offset: offset + length },
  };
}

export function joinSpans(first: Span, last: Span): Span {
  return { file: first.file, start: first.start, end: last.end };
}

/** `file:line:col`, the form every message uses to point at source. */
export function formatLocation(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}
