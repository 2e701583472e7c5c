import type { IToken } from "chevrotain";

/** One line of code and the indented lines under it. */
export interface SourceLine {
  tokens: IToken[];
  children: SourceLine[];
}

const openerWords = new Set(["Then", "Where", "With", "Colon", "Period"]);

/**
 * Groups the token stream into lines and blocks using `Newline`, `Indent` and `Dedent`, and
 * drops the words that may end a line that opens a block (`then`, `where`, `with`,
 * `as follows`, `:`) — and a final full stop — which mean nothing more.
 */
export function splitLines(stream: readonly IToken[]): SourceLine[] {
  const root: SourceLine = { tokens: [], children: [] };
  const open: SourceLine[] = [root];
  let current: IToken[] = [];
  let last: SourceLine | undefined;
  for (let index = 0; index < stream.length; index++) {
    const token = stream[index];
    const name = token.tokenType.name;
    if (name === "Newline") {
      if (current.length > 0) {
        last = { tokens: trimOpener(current), children: [] };
        open[open.length - 1].children.push(last);
      }
      current = [];
    } else if (name === "Indent") {
      open.push(last ?? open[open.length - 1]);
    } else if (name === "Dedent") {
      if (open.length > 1) open.pop();
      last = undefined;
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) open[open.length - 1].children.push({ tokens: trimOpener(current), children: [] });
  return root.children;
}

function trimOpener(tokens: IToken[]): IToken[] {
  let end = tokens.length;
  const nameAt = (index: number) => tokens[index]?.tokenType.name;
  // A final full stop or colon, then one opener word.
  while (end > 1 && (nameAt(end - 1) === "Period" || nameAt(end - 1) === "Colon")) end--;
  if (end > 1 && openerWords.has(nameAt(end - 1) ?? "")) end--;
  else if (end > 2 && nameAt(end - 1) === "Follows" && nameAt(end - 2) === "As") end -= 2;
  return end === tokens.length ? tokens : tokens.slice(0, end);
}
