/**
 * Where a text in quotes starts and ends, for the lexer's `Text` and `UnclosedText` tokens.
 *
 * Double quotes (`"…"`, with `\` escapes, or `“…”`) start a text anywhere. A single quote is also
 * the apostrophe of a possessive (`the invoice's total`, `the invoices' totals`, `John's age`),
 * so single-quoted text (`'{"name": "John"}'`, or `‘…’`) starts only where a value may start: at
 * the start of a line, after a space, or after `(`, `,`, `:` or an operator, never straight after
 * a word. Its only escape is `\'`.
 */

const doubleQuoted = /"(?:[^"\\\n\r]|\\.)*"|“[^”\n\r]*”/y;
const doubleUnclosed = /"(?:[^"\\\n\r]|\\.)*|“[^”\n\r]*/y;
const singleQuoted = /'(?:[^'\\\n\r]|\\'|\\)*'|‘[^’\n\r]*’/y;
const singleUnclosed = /'(?:[^'\\\n\r]|\\'|\\)*|‘[^’\n\r]*/y;

/** Characters after which a value may start. */
const beforeValue = /[\s(,:=+\-*/<>]/;

function singleQuoteMayStart(source: string, offset: number): boolean {
  const character = source[offset];
  if (character === "‘") return true;
  if (character !== "'") return false;
  return offset === 0 || beforeValue.test(source[offset - 1]);
}

function matchAt(pattern: RegExp, source: string, offset: number): RegExpExecArray | null {
  pattern.lastIndex = offset;
  return pattern.exec(source);
}

/** A closed text at `offset`, or null. */
export function matchText(source: string, offset: number): RegExpExecArray | null {
  const character = source[offset];
  if (character === '"' || character === "“") return matchAt(doubleQuoted, source, offset);
  return singleQuoteMayStart(source, offset) ? matchAt(singleQuoted, source, offset) : null;
}

/** A text at `offset` that the line ends before its closing quote, or null. */
export function matchUnclosedText(source: string, offset: number): RegExpExecArray | null {
  const character = source[offset];
  if (character === '"' || character === "“") return matchAt(doubleUnclosed, source, offset);
  return singleQuoteMayStart(source, offset) ? matchAt(singleUnclosed, source, offset) : null;
}

/** Whether a text token was written in single quotes (no interpolation, only `\'` escaped). */
export function isSingleQuoted(image: string): boolean {
  return image.startsWith("'") || image.startsWith("‘");
}
