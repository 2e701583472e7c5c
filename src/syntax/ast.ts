import type { IToken } from "chevrotain";
import type { Span } from "./span.js";
import type { Diagnostic } from "./diagnostic.js";

// ── Names ────────────────────────────────────────────────────────────────────────────────────

/** One step of a name: `invoice`, `first vendor` (an ordinal picks an item of `vendors`). */
export interface NameSegment {
  /** The words as written, lower-cased and single-spaced: "first vendor". */
  name: string;
  /**
   * For `the first vendor`: 1 and "vendor"; `last` is -1. Syntax marks every name that starts with
   * an ordinal word; check keeps the mark only where the name is a list position and removes it
   * where it is a plain fact (`the first name`: see src/check/list-readings.ts), so after check
   * it means "an item of the list".
   */
  ordinal?: { index: number; noun: string };
  span: Span;
}

/** `the customer's address's city`: a root name and the attributes reached from it. */
export interface Reference {
  segments: NameSegment[];
  /** The reference as the user wrote it ("the customer's address's city"), for messages. */
  text: string;
  span: Span;
}

// ── Expressions ──────────────────────────────────────────────────────────────────────────────

export type Expression =
  | TextLiteral
  | NumberLiteral
  | BooleanLiteral
  | NothingLiteral
  | DateLiteral
  | ReferenceExpression
  | AboveExpression
  | AggregateExpression
  | DaysBetweenExpression
  | ListExpression
  | ArithmeticExpression
  | NegateExpression
  | ComparisonExpression
  | TestExpression
  | LogicalExpression
  | NotExpression
  | FilterExpression
  | ItemAttributeExpression
  | AttributesExpression
  | CredentialExpression;

/** `the credential "crm token"`: the agent's named secret (`prose secret add`); its value never shows. */
export interface CredentialExpression {
  kind: "credential";
  /** The secret's name, trimmed, single-spaced and lower-cased (as `prose secret add` keeps it). */
  name: string;
  span: Span;
}

export interface TextLiteral {
  kind: "text";
  /** Plain text and interpolated expressions, in order. */
  parts: Array<string | Expression>;
  span: Span;
}

export type CurrencySign = "$" | "€" | "£";

export interface NumberLiteral {
  kind: "number";
  /** The decimal digits, without separators or signs: "1200.50". */
  digits: string;
  currency?: CurrencySign;
  percent: boolean;
  span: Span;
}

export interface BooleanLiteral {
  kind: "boolean";
  value: boolean;
  span: Span;
}

export interface NothingLiteral {
  kind: "nothing";
  span: Span;
}

export interface DateLiteral {
  kind: "date";
  word: "today" | "tomorrow" | "yesterday" | "now";
  span: Span;
}

export interface ReferenceExpression {
  kind: "reference";
  reference: Reference;
  span: Span;
}

export interface AboveExpression {
  kind: "above";
  span: Span;
}

export type AggregateOperator = "number" | "sum" | "average" | "maximum" | "minimum" | "length";

export interface AggregateExpression {
  kind: "aggregate";
  operator: AggregateOperator;
  operand: Expression;
  span: Span;
}

/** `the number of days between the start and the end`: whole days from one date to the other. */
export interface DaysBetweenExpression {
  kind: "days between";
  from: Expression;
  to: Expression;
  span: Span;
}

export interface ListExpression {
  kind: "list";
  items: Expression[];
  span: Span;
}

export type ArithmeticOperator = "+" | "-" | "*" | "/";

export interface ArithmeticExpression {
  kind: "arithmetic";
  operator: ArithmeticOperator;
  left: Expression;
  right: Expression;
  span: Span;
}

export interface NegateExpression {
  kind: "negate";
  operand: Expression;
  span: Span;
}

export type ComparisonOperator =
  | "equal"
  | "greater"
  | "less"
  | "at least"
  | "at most"
  | "contains"
  | "starts with"
  | "ends with"
  /** `X is in Y`: an item of a list, or a part of a text. */
  | "in"
  /** `X matches the pattern "…"`: a JavaScript regular expression that matches anywhere in X. */
  | "matches";

export interface ComparisonExpression {
  kind: "comparison";
  operator: ComparisonOperator;
  negated: boolean;
  left: Expression;
  right: Expression;
  span: Span;
}

export interface TestExpression {
  kind: "test";
  test: "empty" | "exists";
  negated: boolean;
  operand: Expression;
  span: Span;
}

export interface LogicalExpression {
  kind: "logical";
  operator: "and" | "or";
  left: Expression;
  right: Expression;
  span: Span;
}

export interface NotExpression {
  kind: "not";
  operand: Expression;
  span: Span;
}

/** `the claims whose status is "open"`: the items of a list for which the condition holds. */
export interface FilterExpression {
  kind: "filter";
  list: Expression;
  /** Reads each item's attributes through `item` expressions. */
  condition: Expression;
  span: Span;
}

/** `status` in `whose status is "open"`: an attribute of the item the nearest filter is testing. */
export interface ItemAttributeExpression {
  kind: "item";
  /** The attribute's path from the item: `customer's country` → [customer, country]. */
  path: NameSegment[];
  text: string;
  span: Span;
}

/**
 * `the totals of the claims whose …`: the attributes read from a value that is not a name (a
 * filtered list); on a name, `the totals of the claims` is the reference `the claims' totals`.
 */
export interface AttributesExpression {
  kind: "attributes";
  of: Expression;
  path: NameSegment[];
  text: string;
  span: Span;
}

// ── Statements ───────────────────────────────────────────────────────────────────────────────

export type Statement =
  | Assignment
  | SayStatement
  | IfStatement
  | EachLoop
  | RepeatLoop
  | AskStatement
  | ValidateStatement
  | StopStatement
  | FailStatement
  | LearnStatement
  | NameLine
  | CallStatement;

export interface Assignment {
  kind: "assign";
  target: Reference;
  value: Expression;
  /** Written with `are`: the value is a list. */
  plural: boolean;
  /** `use the invoice as the current invoice`: the target becomes another name for the fact named (LANGUAGE.md §10.1). */
  alias?: boolean;
  span: Span;
}

export interface SayStatement {
  kind: "say";
  value: Expression;
  span: Span;
}

export interface IfStatement {
  kind: "if";
  branches: Array<{ condition: Expression; body: Statement[]; span: Span }>;
  otherwise?: Statement[];
  span: Span;
}

export interface EachLoop {
  kind: "each";
  /** The item's name: `invoice` in `process each invoice in the invoices`. */
  item: string;
  /** Where the item's name is written, for the list check gives a loop that names none. */
  itemSpan: Span;
  /**
   * The list iterated, as written; absent when the loop names none (`process each invoice`).
   * What such a loop iterates is check's rule: see `loopCollection` in src/check/loop-collection.ts.
   */
  collection?: Expression;
  parallel: boolean;
  body: Statement[];
  span: Span;
}

export interface RepeatLoop {
  kind: "repeat";
  count: Expression;
  body: Statement[];
  span: Span;
}

export interface AskStatement {
  kind: "ask";
  prompt: Expression;
  /**
   * The fact lines written under it, as written. Which of them give the choices (`the choices
   * are …`) is check's rule: see `askChoices` in src/check/ask-choices.ts.
   */
  block: Assignment[];
  span: Span;
}

export interface Check {
  condition: Expression;
  /** The condition as written, for the question's text. */
  source: string;
  span: Span;
}

export interface ValidateStatement {
  kind: "validate";
  checks: Check[];
  span: Span;
}

export interface StopStatement {
  kind: "stop";
  span: Span;
}

export interface FailStatement {
  kind: "fail";
  message?: Expression;
  span: Span;
}

export interface LearnStatement {
  kind: "learn";
  path: Expression;
  span: Span;
}

/** A line that is only a name (`the order name`, `the above`): its value becomes `the above`. */
export interface NameLine {
  kind: "name";
  value: Expression;
  span: Span;
}

/** A line that is no other statement: resolved against the phrasebook by the check stage. */
export interface CallStatement {
  kind: "call";
  /** The sentence's tokens, without `as the <name>` and without the block opener. */
  words: IToken[];
  /** The sentence as written, for messages. */
  text: string;
  /** `as the <name>` at the end of the line. */
  resultName?: string;
  /** The parameter block: fact lines the procedure sees. */
  block: Assignment[];
  /**
   * A line that starts like a statement but does not read as one (`process the sale`): the
   * problem syntax reported, which check settles (withdraws) when a procedure matches the line.
   */
  unreadable?: Diagnostic;
  span: Span;
}

// ── Procedures and scripts ───────────────────────────────────────────────────────────────────

export type PatternPart = { kind: "word"; word: string } | { kind: "slot"; name: string };

export interface ProcedureDefinition {
  kind: "definition";
  /**
   * The words of its name after `to`, lower-cased, as written: `approve an invoice`. Which are
   * inputs and which articles are optional is check's rule: see `definitionPattern` in
   * src/check/procedure-pattern.ts, which makes the pattern (`approve {invoice}`).
   */
  name: string[];
  body: Statement[];
  span: Span;
}

export interface Script {
  file: string;
  source: string;
  statements: Statement[];
  definitions: ProcedureDefinition[];
}
