import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";
import { matchText, matchUnclosedText } from "./quoted-text.js";

/**
 * The token vocabulary of Prose.
 *
 * Words come in two kinds:
 * - hard keywords (`the`, `is`, `and`, `to`, …) end a name: they can never be part of one;
 * - soft keywords (`say`, `number`, `first`, …) are words that the grammar recognises in some
 *   places but that may also stand inside a name (`the invoice number`). They belong to the
 *   `Word` category, so a rule that consumes `Word` accepts them.
 * Every token that can stand inside a line belongs to `LineToken`, so a call sentence can be
 * consumed as "any tokens up to the end of the line".
 */

// Chevrotain re-creates patterns without the `u` flag, so letters are "anything that is not
// space, a digit, a control character or punctuation the grammar uses".
const notWordCharacters = "\\s\\x00-\\x1f\\x7f\"“”'’.,:;()+*/<>=!#{}\\[\\]$€£%?&|^~`@\\\\";
// What a word starts with: the same set (not a digit, `_` or `-` either), written out as
// ranges, because chevrotain can read the first characters of a pattern only from a positive
// set: ASCII letters, and beyond ASCII everything but Unicode spaces, “ ” ’, € and £.
const wordStart =
  "[A-Za-z\\x80-\\x9f\\xa1\\xa2\\xa4-\\u167f\\u1681-\\u1fff\\u200b-\\u2018\\u201a\\u201b\\u201e-\\u2027" +
  "\\u202a-\\u202e\\u2030-\\u205e\\u2060-\\u20ab\\u20ad-\\u2fff\\u3001-\\ufefe\\uff00-\\uffff]";
const wordRest = `[^${notWordCharacters}]*`;
const endOfWord = `(?![^${notWordCharacters}])`;

export const LineToken = createToken({ name: "LineToken", pattern: Lexer.NA });
export const Word = createToken({ name: "Word", pattern: Lexer.NA, categories: [LineToken] });

export const Identifier = createToken({
  name: "Identifier",
  pattern: new RegExp(`${wordStart}${wordRest}`),
  categories: [Word, LineToken],
});

/**
 * Keywords by spelling, lower case. The lexer reads every word as an `Identifier` and then
 * gives a word spelt like a keyword the keyword's type (see `readKeywords` in `lexer.ts`):
 * one pattern for all words instead of one regular expression per keyword tried in turn.
 */
export const keywordsBySpelling = new Map<string, TokenType>();

function keyword(name: string, text: string, soft: boolean): TokenType {
  const type = createToken({ name, pattern: Lexer.NA, categories: soft ? [Word, LineToken] : [LineToken] });
  for (const spelling of text.split("|")) keywordsBySpelling.set(spelling, type);
  return type;
}

const hard = (name: string, text = name.toLowerCase()) => keyword(name, text, false);
const soft = (name: string, text = name.toLowerCase()) => keyword(name, text, true);

// Hard keywords: never part of a name.
export const The = hard("The");
export const Is = hard("Is");
export const Are = hard("Are");
export const And = hard("And");
export const Or = hard("Or");
export const Not = hard("Not");
export const Plus = hard("Plus");
export const Minus = hard("Minus");
export const Times = hard("Times");
export const Multiplied = hard("Multiplied");
export const Divided = hard("Divided");
export const Contains = hard("Contains");
export const Does = hard("Does");
export const Starts = hard("Starts");
export const Ends = hard("Ends");
export const Exists = hard("Exists");
export const Then = hard("Then");
export const As = hard("As");
export const To = hard("To");
export const In = hard("In");
export const With = hard("With");
export const Where = hard("Where");
/** `the claims whose status is "open"`: a list filter (src/syntax/build-filter.ts). */
export const Whose = hard("Whose");

// Soft keywords: recognised by the grammar, allowed inside names.
export const Say = soft("Say");
export const If = soft("If");
export const Otherwise = soft("Otherwise");
export const Else = soft("Else");
export const Process = soft("Process");
export const For = soft("For");
export const Each = soft("Each");
export const Repeat = soft("Repeat");
export const Ask = soft("Ask");
export const Validate = soft("Validate");
export const Ensure = soft("Ensure");
export const Stop = soft("Stop");
export const Fail = soft("Fail");
export const Learn = soft("Learn");
export const Set = soft("Set");
export const Use = soft("Use");
export const Parallel = soft("Parallel");
export const Follows = soft("Follows");
export const By = soft("By");
export const Of = soft("Of");
export const Than = soft("Than");
export const Greater = soft("Greater");
export const More = soft("More");
export const Less = soft("Less");
export const At = soft("At");
export const Least = soft("Least");
export const Most = soft("Most");
export const Empty = soft("Empty");
export const Started = soft("Started");
export const Ended = soft("Ended");
export const Terminated = soft("Terminated");
/** `matches the pattern "…"`: a name stops before `matches` when a value follows it. */
export const Matches = soft("Matches");
export const Match = soft("Match");
export const Contain = soft("Contain");
export const Exist = soft("Exist");
export const True = soft("True", "true|yes");
export const False = soft("False", "false|no");
export const Nothing = soft("Nothing");
export const DateWord = soft("DateWord", "today|tomorrow|yesterday|now");
export const Aggregate = soft("Aggregate", "number|sum|average|maximum|minimum|length");
/** `1st`, `22nd` are matched here; `first` … `tenth` and `last` are words spelt like keywords. */
export const Ordinal = createToken({
  name: "Ordinal",
  pattern: new RegExp(`\\d+(?:st|nd|rd|th)${endOfWord}`, "i"),
  categories: [Word, LineToken],
});
for (const spelling of ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last"]) {
  keywordsBySpelling.set(spelling, Ordinal);
}

/**
 * A capitalised word right before `'s` (`John's age`, `Acme's address`): a proper name that owns
 * facts, written without `the`. Inside a name (`the Invoice's total`) it is a word like any other.
 */
export const ProperName = createToken({
  name: "ProperName",
  pattern: new RegExp(`[A-Z\\xc0-\\xd6\\xd8-\\xde]${wordRest}(?=['’]s${endOfWord})`),
  categories: [Word, LineToken],
});

// Literals and punctuation.
/** `"…"`, `“…”`, and `'…'` where a value may start (see quoted-text.ts). */
export const Text = createToken({
  name: "Text",
  pattern: { exec: (source: string, offset: number) => matchText(source, offset) },
  line_breaks: false,
  start_chars_hint: ['"', "“", "'", "‘"],
  categories: [LineToken],
});
export const UnclosedText = createToken({
  name: "UnclosedText",
  pattern: { exec: (source: string, offset: number) => matchUnclosedText(source, offset) },
  line_breaks: false,
  start_chars_hint: ['"', "“", "'", "‘"],
  categories: [LineToken],
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /[$€£]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?/,
  categories: [LineToken],
});
export const Possessive = createToken({
  name: "Possessive",
  pattern: new RegExp(`['’](?:s${endOfWord})?`, "i"),
  categories: [LineToken],
});
export const LessOrEqual = createToken({ name: "LessOrEqual", pattern: /<=/, categories: [LineToken] });
export const GreaterOrEqual = createToken({ name: "GreaterOrEqual", pattern: />=/, categories: [LineToken] });
export const NotEqual = createToken({ name: "NotEqual", pattern: /!=/, categories: [LineToken] });
export const LessSign = createToken({ name: "LessSign", pattern: /</, categories: [LineToken] });
export const GreaterSign = createToken({ name: "GreaterSign", pattern: />/, categories: [LineToken] });
export const EqualSign = createToken({ name: "EqualSign", pattern: /=/, categories: [LineToken] });
export const PlusSign = createToken({ name: "PlusSign", pattern: /\+/, categories: [LineToken] });
export const MinusSign = createToken({ name: "MinusSign", pattern: /-/, categories: [LineToken] });
export const Star = createToken({ name: "Star", pattern: /\*/, categories: [LineToken] });
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: [LineToken] });
export const LeftParen = createToken({ name: "LeftParen", pattern: /\(/, categories: [LineToken] });
export const RightParen = createToken({ name: "RightParen", pattern: /\)/, categories: [LineToken] });
export const Comma = createToken({ name: "Comma", pattern: /,/, categories: [LineToken] });
export const Colon = createToken({ name: "Colon", pattern: /:/, categories: [LineToken] });
export const Period = createToken({ name: "Period", pattern: /\./, categories: [LineToken] });

export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: Lexer.SKIPPED });
export const Spaces = createToken({ name: "Spaces", pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const LineBreak = createToken({ name: "LineBreak", pattern: /\r\n|\r|\n/, line_breaks: true });

// Produced by the indentation pass, never by the lexer.
export const Newline = createToken({ name: "Newline", pattern: Lexer.NA });
export const Indent = createToken({ name: "Indent", pattern: Lexer.NA });
export const Dedent = createToken({ name: "Dedent", pattern: Lexer.NA });

const keywords = [
  The, Is, Are, And, Or, Not, Plus, Minus, Times, Multiplied, Divided, Contains, Does, Starts,
  Ends, Exists, Then, As, To, In, With, Where, Whose,
  Say, If, Otherwise, Else, Process, For, Each, Repeat, Ask, Validate, Ensure, Stop, Fail,
  Learn, Set, Use, Parallel, Follows, By, Of, Than, Greater, More, Less, At, Least, Most,
  Empty, Started, Ended, Terminated, Matches, Match, Contain, Exist, True, False, Nothing, DateWord, Aggregate,
];

/** Order matters: the lexer tries these top to bottom. Keywords come from `Identifier`. */
export const lexerTokens: TokenType[] = [
  LineBreak, Spaces, Comment, Text, UnclosedText, Ordinal, NumberLiteral, Possessive,
  LessOrEqual, GreaterOrEqual, NotEqual, LessSign, GreaterSign, EqualSign, PlusSign, MinusSign,
  Star, Slash, LeftParen, RightParen, Comma, Colon, Period,
  ProperName, Identifier,
];

/** Every token type the parser knows, including categories, keywords and indentation tokens. */
export const allTokens: TokenType[] = [LineToken, Word, ...lexerTokens, ...keywords, Newline, Indent, Dedent];
