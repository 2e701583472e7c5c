import type { IToken } from "chevrotain";
import { Lexer } from "./chevrotain.js";
import { Identifier, keywordsBySpelling, lexerTokens, UnclosedText } from "./tokens.js";
import { IndentationTracker } from "./indentation.js";
import type { LexProblem } from "./lex-problem.js";

let sharedLexer: InstanceType<typeof Lexer> | undefined;

function lexer(): InstanceType<typeof Lexer> {
  sharedLexer ??= new Lexer(lexerTokens, {
    positionTracking: "full",
    ensureOptimizations: false,
    skipValidations: true,
  });
  return sharedLexer;
}

export interface LexResult {
  tokens: IToken[];
  problems: LexProblem[];
}

/** Source text → tokens with `Newline`, `Indent` and `Dedent`, plus any problems found. */
export function tokenize(source: string): LexResult {
  const raw = lexer().tokenize(source);
  readKeywords(raw.tokens);
  const problems: LexProblem[] = raw.errors.map((lexError) => ({
    kind: "unreadable-character",
    line: lexError.line ?? 1,
    column: lexError.column ?? 1,
    offset: lexError.offset,
    length: Math.max(1, lexError.length),
    message: `I can't read ${describeCharacters(source.slice(lexError.offset, lexError.offset + lexError.length))} here.`,
    fix: "fix: remove it, or put it inside quotes if it belongs to a text.",
  }));
  for (let index = 0; index < raw.tokens.length; index++) {
    const token = raw.tokens[index];
    if (token.tokenType === UnclosedText) {
      problems.push({
        kind: "unclosed-text",
        line: token.startLine ?? 1,
        column: token.startColumn ?? 1,
        offset: token.startOffset,
        length: token.image.length,
        message: "This text has no closing quote.",
        fix: `fix: end the text with a ${closingQuote(token.image)} on the same line.`,
      });
    }
  }
  const tracker = new IndentationTracker(source);
  const tokens = tracker.process(raw.tokens);
  return { tokens, problems: [...problems, ...tracker.problems] };
}

/**
 * Gives each word spelt like a keyword (`is`, `The`, `FIRST`) the keyword's token type. Keywords
 * are ASCII and matched without regard to case, so a word with any other character never is one.
 */
function readKeywords(tokens: IToken[]): void {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.tokenType !== Identifier) continue;
    const type = keywordsBySpelling.get(token.image.toLowerCase());
    if (type === undefined || !isAscii(token.image)) continue;
    token.tokenType = type;
    token.tokenTypeIdx = type.tokenTypeIdx!;
  }
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0x7f) return false;
  return true;
}

function describeCharacters(text: string): string {
  const shown = [...text].slice(0, 10).join("");
  const printable = /^[\p{L}\p{N}\p{P}\p{S}]+$/u.test(shown);
  if (printable) return `"${shown}"`;
  const codes = [...shown].map((character) => `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`);
  return `the character${codes.length === 1 ? "" : "s"} ${codes.join(" ")}`;
}

/**
 * Tokens of a piece of code that stands inside a token (an interpolation in a text), with
 * positions moved to where the piece stands in the file. Pieces never span lines.
 */
export function tokenizeFragment(code: string, host: { startOffset: number; startLine?: number; startColumn?: number }, offsetInHost: number): { tokens: IToken[]; failed: boolean } {
  const raw = lexer().tokenize(code);
  readKeywords(raw.tokens);
  const failed = raw.errors.length > 0 || raw.tokens.some((token) => token.tokenType === UnclosedText);
  const tokens = raw.tokens.map((token) => ({
    ...token,
    startOffset: host.startOffset + offsetInHost + token.startOffset,
    endOffset: host.startOffset + offsetInHost + (token.endOffset ?? token.startOffset),
    startLine: host.startLine,
    endLine: host.startLine,
    startColumn: (host.startColumn ?? 1) + offsetInHost + (token.startColumn ?? 1) - 1,
    endColumn: (host.startColumn ?? 1) + offsetInHost + (token.endColumn ?? token.startColumn ?? 1) - 1,
  }));
  return { tokens, failed };
}

function closingQuote(image: string): string {
  if (image.startsWith("“")) return "”";
  if (image.startsWith("‘")) return "’";
  return image.startsWith("'") ? "'" : '"';
}
