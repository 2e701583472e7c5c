import type { IToken } from "chevrotain";
import type {
  AggregateOperator,
  ArithmeticOperator,
  ComparisonOperator,
  CurrencySign,
  Expression,
  NameSegment,
  Reference,
} from "./ast.js";
import { child, children, isToken, nodeSpan, orderedChildren, token, tokens, tokenSpan, type TokenNames } from "./cst-helpers.js";
import { joinSpans, type Span } from "./span.js";
import { ordinalIndex } from "./ordinals.js";
import { splitTextLiteral } from "./text-literal.js";
import { error, type Diagnostic } from "./diagnostic.js";
import type {
  AdditiveCstNode,
  AggregateCstNode,
  AndExpressionCstNode,
  BareNameCstNode,
  ComparisonCstNode,
  ComparisonTailCstNode,
  ExpressionCstNode,
  GroupCstNode,
  IsOperatorCstNode,
  ListExpressionCstNode,
  ListOrExpressionCstNode,
  MultiplicativeCstNode,
  NotExpressionCstNode,
  PrimaryCstNode,
  ReferenceCstNode,
  UnaryCstNode,
} from "../../grammar/cst.js";
import { tokenizeFragment } from "../../grammar/lexer.js";
import { Ordinal } from "../../grammar/tokens.js";
import { proseParser } from "../../grammar/parser.js";
import { describeParseProblem } from "../../grammar/error-messages.js";
import { expressionNestingProblem } from "./expression-nesting.js";
import { buildRefinement, reportValueAfterFilter } from "./build-filter.js";
import { daysBetween } from "./build-days-between.js";

/** Builds expression nodes from the CST of `grammar/parser.ts`. */
export class ExpressionBuilder {
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
  ) {}

  expression(node: ExpressionCstNode): Expression {
    return this.leftAssociative(children(node, "andExpression").map((part) => this.andExpression(part)), "or");
  }

  /** `a, b and c` → a list; a single item stays itself. */
  list(node: ListExpressionCstNode | ListOrExpressionCstNode): Expression {
    const items = node.name === "listExpression" ? children(node, "comparison").map((item) => this.comparison(item)) : children(node, "expression").map((item) => this.expression(item));
    if (items.length === 1) return items[0];
    return { kind: "list", items, span: nodeSpan(this.file, node) };
  }

  private andExpression(node: AndExpressionCstNode): Expression {
    return this.leftAssociative(children(node, "notExpression").map((part) => this.notExpression(part)), "and");
  }

  private leftAssociative(parts: Expression[], operator: "and" | "or"): Expression {
    for (let index = 1; index < parts.length; index++) reportValueAfterFilter(this, parts[index - 1], parts[index], operator);
    return parts.reduce((left, right) => ({ kind: "logical", operator, left, right, span: joinSpans(left.span, right.span) }));
  }

  private notExpression(node: NotExpressionCstNode): Expression {
    const inner = child(node, "notExpression");
    if (inner) return { kind: "not", operand: this.notExpression(inner), span: nodeSpan(this.file, node) };
    return this.comparison(child(node, "comparison")!);
  }

  comparison(node: ComparisonCstNode): Expression {
    const left = this.additive(child(node, "additive")!);
    const tail = child(node, "comparisonTail");
    if (!tail) return left;
    return this.comparisonWith(left, tail, nodeSpan(this.file, node));
  }

  /** A value and what follows it (`is greater than 3`, `matches the pattern "…"`): also a filter's `status is "open"`. */
  comparisonWith(left: Expression, tail: ComparisonTailCstNode, span: Span): Expression {
    const isOperator = child(tail, "isOperator");
    if (isOperator) return this.isComparison(left, isOperator, token(tail, "Not") !== undefined, span);
    if (token(tail, "Exists")) return { kind: "test", test: "exists", negated: false, operand: left, span };
    if (token(tail, "Exist")) return { kind: "test", test: "exists", negated: true, operand: left, span };
    const pattern = child(tail, "patternOperand");
    if (pattern) return { kind: "comparison", operator: "matches", negated: token(tail, "Match") !== undefined, left, right: this.patternValue(child(pattern, "additive")!), span };
    const right = this.additive(child(tail, "additive")!);
    const symbol = comparisonSigns.find((name) => token(tail, name));
    const compare = (operator: ComparisonOperator, negated = false): Expression => ({ kind: "comparison", operator, negated, left, right, span });
    switch (symbol) {
      case "LessOrEqual": return compare("at most");
      case "GreaterOrEqual": return compare("at least");
      case "NotEqual": return compare("equal", true);
      case "LessSign": return compare("less");
      case "GreaterSign": return compare("greater");
      case "EqualSign": return compare("equal");
    }
    if (token(tail, "Contains")) return compare("contains");
    if (token(tail, "Contain")) return compare("contains", true);
    if (token(tail, "Starts")) return compare("starts with");
    return compare("ends with");
  }

  private isComparison(left: Expression, node: IsOperatorCstNode, negated: boolean, span: Span): Expression {
    if (token(node, "Empty")) return { kind: "test", test: "empty", negated, operand: left, span };
    const right = this.additive(child(node, "additive")!);
    let operator: ComparisonOperator = "equal";
    if (token(node, "Greater") || token(node, "More")) operator = "greater";
    else if (token(node, "Less")) operator = "less";
    else if (token(node, "Least")) operator = "at least";
    else if (token(node, "Most")) operator = "at most";
    // `the code is started by "SAVE"` says what `the code starts with "SAVE"` says.
    else if (token(node, "Started")) operator = "starts with";
    else if (token(node, "Ended") || token(node, "Terminated")) operator = "ends with";
    else if (token(node, "In")) operator = "in";
    return { kind: "comparison", operator, negated, left, right, span };
  }

  /**
   * A pattern written in quotes after `matches` is read as written, as JavaScript reads `/…/`:
   * its backslashes and braces are the pattern's (`"^INV-\d{4}$"`), not escapes or `{…}` values.
   */
  private patternValue(node: AdditiveCstNode): Expression {
    const literal = loneText(node);
    if (!literal) return this.additive(node);
    return { kind: "text", parts: [literal.image.slice(1, -1)], span: tokenSpan(this.file, literal) };
  }

  additive(node: AdditiveCstNode): Expression {
    return this.binaryChain(node, node.children.multiplicative, (part) => this.multiplicative(part), {
      Plus: "+", PlusSign: "+", Minus: "-", MinusSign: "-",
    });
  }

  private multiplicative(node: MultiplicativeCstNode): Expression {
    return this.binaryChain(node, node.children.unary, (part) => this.unary(part), {
      Times: "*", Star: "*", Multiplied: "*", Slash: "/", Divided: "/",
    });
  }

  /** Operands and operators in source order, folded to the left. */
  private binaryChain<Node extends AdditiveCstNode | MultiplicativeCstNode, Operand extends UnaryCstNode | MultiplicativeCstNode>(
    node: Node,
    operands: Operand[],
    build: (part: Operand) => Expression,
    operators: Partial<Record<TokenNames<Node>, ArithmeticOperator>>,
  ): Expression {
    // Most chains are one operand with no operator: no need to put children in source order.
    if (operands.length === 1) return build(operands[0]);
    const operandRule = operands[0].name;
    const operatorOf = operators as Partial<Record<string, ArithmeticOperator>>;
    let result: Expression | undefined;
    let pending: ArithmeticOperator | undefined;
    for (const { name, element } of orderedChildren(node)) {
      if (!isToken(element) && name === operandRule) {
        const operand = build(element as Operand);
        result = result === undefined || pending === undefined
          ? operand
          : { kind: "arithmetic", operator: pending, left: result, right: operand, span: joinSpans(result.span, operand.span) };
      } else if (isToken(element) && operatorOf[name]) {
        pending = operatorOf[name];
      }
    }
    return result!;
  }

  unary(node: UnaryCstNode): Expression {
    const inner = child(node, "unary");
    if (inner) return { kind: "negate", operand: this.unary(inner), span: nodeSpan(this.file, node) };
    return this.primary(child(node, "primary")!);
  }

  private primary(node: PrimaryCstNode): Expression {
    const value = this.primaryValue(node);
    const refinement = child(node, "listRefinement");
    return refinement ? buildRefinement(this, value, refinement) : value;
  }

  private primaryValue(node: PrimaryCstNode): Expression {
    const span = nodeSpan(this.file, node);
    const credential = token(node, "credentialName");
    if (credential) return { kind: "credential", name: credentialNameOf(credential.image).toLowerCase(), span };
    const text = token(node, "Text");
    if (text) return this.textLiteral(text);
    const number = token(node, "NumberLiteral");
    if (number) return numberLiteral(number.image, span);
    if (token(node, "True")) return { kind: "boolean", value: true, span };
    if (token(node, "False")) return { kind: "boolean", value: false, span };
    if (token(node, "Nothing")) return { kind: "nothing", span };
    const date = token(node, "DateWord");
    if (date) return { kind: "date", word: date.image.toLowerCase() as "today", span };
    const group = child(node, "group");
    if (group) return this.group(group);
    const aggregate = child(node, "aggregate");
    if (aggregate) return this.aggregate(aggregate);
    return this.referenceExpression(child(node, "reference")!);
  }

  /** `"Invoice {the number} is due"`: plain pieces and interpolated expressions. */
  private textLiteral(literal: IToken): Expression {
    const span = tokenSpan(this.file, literal);
    const { pieces, problems } = splitTextLiteral(literal.image);
    for (const problem of problems) {
      this.diagnostics.push(error("bad-text-value", this.spanInside(literal, problem.offset, problem.length), problem.message, [problem.fix]));
    }
    const parts: Array<string | Expression> = [];
    for (const piece of pieces) {
      if (piece.kind === "plain") {
        parts.push(piece.text);
        continue;
      }
      const inner = this.fragment(literal, piece.code, piece.offset);
      if (inner) parts.push(inner);
    }
    return { kind: "text", parts, span };
  }

  private fragment(literal: IToken, code: string, offset: number): Expression | undefined {
    const { tokens: fragmentTokens, failed } = tokenizeFragment(code, literal, offset);
    const where = this.spanInside(literal, offset, code.length);
    if (failed || fragmentTokens.length === 0) {
      this.diagnostics.push(error("bad-text-value", where, `I can't read {${code}} as a value inside this text.`, ["fix: put a name like {the total} inside the braces, or write {{ for a brace."]));
      return undefined;
    }
    const tooDeep = expressionNestingProblem(fragmentTokens, this.file);
    if (tooDeep) {
      this.diagnostics.push(tooDeep);
      return undefined;
    }
    const parser = proseParser();
    const { cst, errors } = parser.parseWith(fragmentTokens, () => parser.expressionOnly());
    if (errors.length > 0) {
      const english = describeParseProblem(errors[0], fragmentTokens);
      this.diagnostics.push(error("bad-text-value", tokenSpan(this.file, english.token), `Inside {${code}}: ${english.message}`, [english.fix]));
      return undefined;
    }
    return this.expression(child(cst, "expression")!);
  }

  private spanInside(literal: IToken, offset: number, length: number): Span {
    const start = { ...literal, startOffset: literal.startOffset + offset, startColumn: (literal.startColumn ?? 1) + offset };
    const end = { ...start, startOffset: start.startOffset + length - 1, startColumn: start.startColumn + length - 1, endOffset: undefined, endColumn: undefined };
    return tokenSpan(this.file, start as IToken, end as IToken);
  }

  private aggregate(node: AggregateCstNode): Expression {
    const operator = token(node, "Aggregate")!.image.toLowerCase() as AggregateOperator;
    const span = nodeSpan(this.file, node);
    const days = daysBetween(this, node, operator, span);
    if (days) return days;
    const group = child(node, "group");
    const reference = child(node, "reference");
    const bare = child(node, "bareName");
    const literal = token(node, "Text");
    let operand: Expression;
    if (group) operand = this.group(group);
    else if (literal) operand = this.textLiteral(literal);
    else if (reference) operand = this.referenceExpression(reference);
    else operand = { kind: "reference", reference: this.reference(bare!), span: nodeSpan(this.file, bare!) };
    const refinement = child(node, "listRefinement");
    if (refinement) operand = buildRefinement(this, operand, refinement);
    return { kind: "aggregate", operator, operand, span };
  }

  /** One grouped expression, or — with commas — a list, where a final `and` joins items. */
  group(node: GroupCstNode): Expression {
    const items = children(node, "expression").map((item) => this.expression(item));
    if (items.length === 1) return items[0];
    return { kind: "list", items: items.flatMap(splitAnd), span: nodeSpan(this.file, node) };
  }

  referenceExpression(node: ReferenceCstNode): Expression {
    const reference = this.reference(node);
    if (reference.segments.length === 1 && reference.segments[0].name === "above") {
      return { kind: "above", span: reference.span };
    }
    return { kind: "reference", reference, span: reference.span };
  }

  /** `the first vendor's address's city` → segments [first vendor, address, city]. */
  reference(node: ReferenceCstNode | BareNameCstNode): Reference {
    const proper = node.name === "reference" ? token(node, "ProperName") : undefined;
    const segments: NameSegment[] = [proper ? properNameSegment(this.file, proper) : segment(this.file, tokens(node, "Word"))];
    for (const tail of children(node, "possessiveTail")) {
      const quoted = tokens(tail, "quotedName")[0];
      segments.push(quoted ? quotedSegment(this.file, quoted) : segment(this.file, tokens(tail, "Word")));
    }
    const span = nodeSpan(this.file, node);
    const text = referenceText(node);
    return { segments, text, span };
  }
}

/** The text token when a value is nothing but one text in quotes. */
function loneText(node: AdditiveCstNode): IToken | undefined {
  const [multiplicative, ...more] = node.children.multiplicative;
  if (more.length > 0 || multiplicative.children.unary.length > 1) return undefined;
  const primary = child(multiplicative.children.unary[0], "primary");
  if (!primary || child(primary, "listRefinement")) return undefined;
  return token(primary, "Text");
}

/** The comparison signs `comparisonTail` may consume, by their token names. */
const comparisonSigns = ["LessOrEqual", "GreaterOrEqual", "NotEqual", "LessSign", "GreaterSign", "EqualSign"] as const;

/**
 * In a list, `"b" and "c"` are two items, not a condition. A chain of `and`s is a tree that leans
 * left (`(a and b) and c`), as deep as it is long: it is walked with a stack of its own.
 */
function splitAnd(expression: Expression): Expression[] {
  const items: Expression[] = [];
  const pending: Expression[] = [expression];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.kind === "logical" && next.operator === "and") pending.push(next.right, next.left);
    else items.push(next);
  }
  return items;
}

function segment(file: string, words: IToken[]): NameSegment {
  const span = tokenSpan(file, words[0], words[words.length - 1]);
  const name = words.map((word) => word.image.toLowerCase()).join(" ");
  const index = words.length > 1 && words[0].tokenType === Ordinal ? ordinalIndex(words[0].image) : undefined;
  if (index === undefined) return { name, span };
  const noun = words.slice(1).map((word) => word.image.toLowerCase()).join(" ");
  return { name, ordinal: { index, noun }, span };
}

/** `John` in `John's age`: a proper name is the fact's name as written (`"John"`), not lower-cased. */
function properNameSegment(file: string, word: IToken): NameSegment {
  return { name: word.image, span: tokenSpan(file, word) };
}

/** `'s "tax id"`: a name in quotes, lower-cased and single-spaced like any other; never an ordinal. */
function quotedSegment(file: string, quoted: IToken): NameSegment {
  const inside = quoted.image.slice(1, -1).replace(/\\(.)/g, "$1");
  return { name: inside.trim().toLowerCase().replace(/\s+/g, " "), span: tokenSpan(file, quoted, quoted) };
}

/**
 * The words of a reference or bare name as written, in source order: the grammar reads `the`,
 * then words, then each possessive tail (its `'s`, then words), so that order is the CST's.
 */
function referenceText(node: ReferenceCstNode | BareNameCstNode): string {
  const parts: string[] = [];
  if (node.name === "reference") for (const the of tokens(node, "The")) parts.push(the.image);
  if (node.name === "reference") for (const proper of tokens(node, "ProperName")) parts.push(proper.image);
  for (const word of tokens(node, "Word")) parts.push(word.image);
  for (const tail of children(node, "possessiveTail")) {
    for (const possessive of tokens(tail, "Possessive")) parts.push(possessive.image);
    for (const word of tokens(tail, "Word")) parts.push(word.image);
    for (const quoted of tokens(tail, "quotedName")) parts.push(quoted.image);
  }
  return parts.join(" ").replace(/ (['’]s?)(?= |$)/g, "$1");
}

export function numberLiteral(image: string, span: Span): Expression {
  let rest = image;
  let currency: CurrencySign | undefined;
  if (rest[0] === "$" || rest[0] === "€" || rest[0] === "£") {
    currency = rest[0] as CurrencySign;
    rest = rest.slice(1);
  }
  const percent = rest.endsWith("%");
  if (percent) rest = rest.slice(0, -1);
  return { kind: "number", digits: rest.replace(/,/g, ""), currency, percent, span };
}

/** The secret's name in `the credential "crm token"`: the quoted text, trimmed and single-spaced. */
export function credentialNameOf(image: string): string {
  return image.slice(1, -1).trim().replace(/\s+/g, " ");
}
