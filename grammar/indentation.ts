import type { IToken } from "chevrotain";
import { createTokenInstance } from "./chevrotain.js";
import { Dedent, Indent, LineBreak, Newline } from "./tokens.js";
import type { LexProblem } from "./lex-problem.js";

const TAB_WIDTH = 4;

/**
 * Turns the lexer's line breaks into the tokens the parser reads: `Newline` at the end of every
 * line that holds code, `Indent` where a line starts deeper than the one before, and one
 * `Dedent` for each block a shallower line closes. Blank lines and comment lines are ignored.
 *
 * Each instance keeps its own stack of open indentation widths, so lexing one file never
 * disturbs another. A line that dedents to a width no open block has is reported as a
 * problem and treated as belonging to the nearest enclosing block.
 */
export class IndentationTracker {
  private readonly widths: number[] = [0];
  readonly problems: LexProblem[] = [];

  constructor(private readonly source: string) {}

  process(rawTokens: readonly IToken[]): IToken[] {
    const result: IToken[] = [];
    let line: IToken[] = [];
    const flush = () => {
      if (line.length > 0) this.emitLine(line, result);
      line = [];
    };
    // Indexed loops over the whole file's tokens: `for … of` allocated an iterator result per token.
    for (let index = 0; index < rawTokens.length; index++) {
      const token = rawTokens[index];
      if (token.tokenType === LineBreak) flush();
      else line.push(token);
    }
    flush();
    const end = this.source.length;
    const lastLine = result.length > 0 ? (result[result.length - 1].endLine ?? 1) : 1;
    while (this.widths.length > 1) {
      this.widths.pop();
      result.push(createTokenInstance(Dedent, "", end, end, lastLine, lastLine, 1, 1));
    }
    return result;
  }

  private emitLine(line: IToken[], result: IToken[]): void {
    const first = line[0];
    const width = this.indentationBefore(first);
    const lineNumber = first.startLine ?? 1;
    const current = this.widths[this.widths.length - 1];
    if (width > current) {
      this.widths.push(width);
      result.push(createTokenInstance(Indent, "", first.startOffset, first.startOffset, lineNumber, lineNumber, 1, 1));
    } else if (width < current) {
      const closed: number[] = [];
      while (this.widths.length > 1 && this.widths[this.widths.length - 1] > width) {
        closed.push(this.widths.pop()!);
        result.push(createTokenInstance(Dedent, "", first.startOffset, first.startOffset, lineNumber, lineNumber, 1, 1));
      }
      const reached = this.widths[this.widths.length - 1];
      if (reached !== width) {
        // Every open level when there are a few; the nearest ones when a file opens hundreds.
        const few = this.widths.length + closed.length <= 8;
        const levels = few ? [...this.widths, ...closed.reverse()] : [...this.widths.slice(-2), ...closed.slice(-2).reverse()];
        this.reportBadDedent(first, width, levels);
      }
    }
    // One push per token: spreading a line of 70,000 tokens as arguments overflows the stack.
    for (let index = 0; index < line.length; index++) result.push(line[index]);
    const last = line[line.length - 1];
    const endOffset = (last.endOffset ?? last.startOffset) + 1;
    const endColumn = (last.endColumn ?? last.startColumn ?? 1) + 1;
    const endLine = last.endLine ?? lineNumber;
    result.push(createTokenInstance(Newline, "", endOffset, endOffset, endLine, endLine, endColumn, endColumn));
  }

  private indentationBefore(token: IToken): number {
    const lineStart = token.startOffset - ((token.startColumn ?? 1) - 1);
    let width = 0;
    for (let index = lineStart; index < token.startOffset; index++) {
      const character = this.source[index];
      if (character === "\ufeff") continue; // a byte order mark is not indentation
      width += character === "\t" ? TAB_WIDTH : 1;
    }
    return width;
  }

  private reportBadDedent(token: IToken, width: number, openWidths: number[]): void {
    const levels = openWidths;
    // The caret underlines the indentation itself.
    this.problems.push({
      kind: "bad-indentation",
      line: token.startLine ?? 1,
      column: 1,
      offset: token.startOffset - ((token.startColumn ?? 1) - 1),
      length: Math.max(1, (token.startColumn ?? 1) - 1),
      message: `This line is indented by ${plural(width, "space")}, which matches no block above it.`,
      fix: `fix: indent it by ${levels.map((level) => String(level)).join(" or ")} spaces, like the lines of the block it belongs to.`,
    });
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
