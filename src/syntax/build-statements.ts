import type { CstNode, IToken, TokenType } from "chevrotain";
import type { AssignmentCstNode, EnsureStatementCstNode, ReferenceCstNode, StatementCstChildren, StatementCstNode } from "../../grammar/cst.js";
import type { Assignment, Check, EachLoop, Expression, IfStatement, ProcedureDefinition, Statement } from "./ast.js";
import { allTokensOf, child, token, tokens, tokenSpan } from "./cst-helpers.js";
import { error, type Diagnostic, type DiagnosticCode } from "./diagnostic.js";
import { ExpressionBuilder } from "./build-expression.js";
import type { SourceLine } from "./source-lines.js";
import { joinSpans, type Span } from "./span.js";
import { proseParser } from "../../grammar/parser.js";
import { describeParseProblem } from "../../grammar/error-messages.js";
import * as T from "../../grammar/tokens.js";
import { expressionNestingProblem } from "./expression-nesting.js";
import { allowedLine, headerLine } from "./header-line.js";
import { BLOCK_NESTING, formatCount } from "./limits.js";

/** A line under an `ask` that is not a fact line: the block holds only `the choices are …`. */
export const askBlockProblem = {
  code: "wrong-line-in-block",
  message: "An `ask` block can only hold `the choices are …`.",
  fix: 'fix: write the choices as `the choices are "Email", "SMS"`.',
} as const;

/** The rules a line can be: each child `statement` may hold (its other child is the `EOF`). */
type LineRule = Exclude<keyof StatementCstChildren, "EOF">;

/** The node each line rule builds, as `grammar/cst.ts` types it. */
type LineNode<Rule extends LineRule> = NonNullable<StatementCstChildren[Rule]>[number];

/** One line parsed: its rule (`kind`) and that rule's node, typed together. */
type ParsedLine<Rule extends LineRule = LineRule> = { [Each in Rule]: { kind: Each; node: LineNode<Each>; line: SourceLine; span: Span } }[Rule];

/**
 * Every line rule, so a line's rule is found by name and checked at run time too: a rule the
 * grammar adds or renames is a compile error here (the keys must be exactly the line rules) until
 * the builder handles it.
 */
const lineRules: Record<LineRule, true> = {
  definition: true, ifLine: true, otherwiseLine: true, eachLoop: true, repeatLoop: true, sayStatement: true,
  askStatement: true, validateStatement: true, ensureStatement: true, stopStatement: true, failStatement: true,
  learnStatement: true, setStatement: true, useStatement: true, assignment: true, nameLine: true, callSentence: true,
};

/** Turns lines (each parsed by the grammar) into statements, checking which lines take blocks. */
export class StatementBuilder {
  readonly diagnostics: Diagnostic[] = [];
  readonly definitions: ProcedureDefinition[] = [];
  /** How each `if`'s last branch was written (`otherwise` or `else`), for messages. */
  private readonly finalBranchWords = new WeakMap<IfStatement, string>();
  private readonly expressions: ExpressionBuilder;
  /** Lines read as calls because they were no statement: the statement's problem, for check to report when no procedure matches. */
  private readonly unreadableAsStatement = new WeakMap<SourceLine, Diagnostic>();
  /** How many blocks the lines being read are nested in (the file's own lines: 0). */
  private depth = -1;

  constructor(private readonly file: string) {
    this.expressions = new ExpressionBuilder(file, this.diagnostics);
  }

  block(lines: SourceLine[], topLevel: boolean): Statement[] {
    if (lines.length === 0) return [];
    this.depth++;
    try {
      if (this.depth > BLOCK_NESTING.most) {
        const first = lines[0].tokens[0];
        this.problem(
          "nesting-too-deep",
          tokenSpan(this.file, first),
          `This block is nested ${formatCount(this.depth)} deep; Prose allows ${formatCount(BLOCK_NESTING.most)} — move the inner steps into a procedure.`,
          "fix: put the lines of an inner block under a `to …` line at the left margin, and call that procedure here.",
        );
        return [];
      }
      return this.readBlock(lines, topLevel);
    } finally {
      this.depth--;
    }
  }

  private readBlock(lines: SourceLine[], topLevel: boolean): Statement[] {
    const statements: Statement[] = [];
    for (const line of lines) {
      try {
        this.readLine(line, topLevel, statements);
      } catch (problem) {
        // The limits keep reading within the JavaScript engine's stack; should a line still reach
        // the end of it, that line is a diagnostic, and the lines after it are read as usual.
        if (!(problem instanceof RangeError)) throw problem;
        this.problem("nesting-too-deep", tokenSpan(this.file, line.tokens[0]), "This line nests too deeply for Prose to read, within the blocks around it.", "fix: split it into named facts, or move its block into a procedure.");
      }
    }
    return statements;
  }

  private readLine(line: SourceLine, topLevel: boolean, statements: Statement[]): void {
    const parsed = this.parseLine(line);
    if (!parsed) return;
    if (parsed.kind === "otherwiseLine") {
      this.attachOtherwise(statements[statements.length - 1], parsed);
      return;
    }
    if (parsed.kind === "definition") {
      if (!topLevel) this.problem("definition-not-top-level", parsed.span, "A procedure can only be defined at the top level, not inside a block.", "fix: move this `to …` line and its block to the left margin.");
      this.definition(parsed);
      return;
    }
    const statement = this.statement(parsed);
    if (statement) statements.push(statement);
  }

  private parseLine(line: SourceLine): ParsedLine | undefined {
    const tooDeep = expressionNestingProblem(line.tokens, this.file);
    if (tooDeep) {
      this.diagnostics.push(tooDeep);
      this.block(line.children, false);
      return undefined;
    }
    const parser = proseParser();
    const { cst, errors } = parser.parseWith(line.tokens, () => parser.statement());
    if (errors.length > 0) {
      // A text without its closing quote was already reported by the lexer; the parse problem
      // it causes ("found "hello") would only repeat it less clearly.
      if (!line.tokens.some((token) => token.tokenType === T.UnclosedText)) {
        const english = describeParseProblem(errors[0], line.tokens);
        const unreadable = processWithoutEach(line, this.file) ?? error("unreadable-line", tokenSpan(this.file, english.token), english.message, [english.fix]);
        this.diagnostics.push(unreadable);
        // `process the sale` is no loop, but it may call `to process a sale`: check settles the
        // problem when a procedure matches (see `CallStatement.unreadable`).
        const call = startsLikeStatement(line) ? this.statementWordsAsCall(line, unreadable) : undefined;
        if (call) return call;
      }
      // The block under a broken line is still read, so its own mistakes are reported too.
      this.block(line.children, false);
      return undefined;
    }
    const span = tokenSpan(this.file, line.tokens[0], line.tokens[line.tokens.length - 1]);
    const { kind, node } = lineNodeOf(cst);
    return { kind, node, line, span } as ParsedLine;
  }

  /**
   * A line that starts with a statement's word but is not that statement (`process the sale`,
   * `say hello to the customer`): read as a call sentence, which check resolves against the
   * procedures, reporting the statement's own parse problem when none matches.
   */
  private statementWordsAsCall(line: SourceLine, unreadable: Diagnostic): ParsedLine | undefined {
    if (!line.children.every((child) => child.tokens[0]?.tokenType === T.The)) return undefined;
    const parser = proseParser();
    const { cst, errors } = parser.parseWith(line.tokens, () => parser.callSentence());
    if (errors.length > 0) return undefined;
    this.unreadableAsStatement.set(line, unreadable);
    const span = tokenSpan(this.file, line.tokens[0], line.tokens[line.tokens.length - 1]);
    return { kind: "callSentence", node: cst, line, span };
  }

  /** A line that is a statement of its own (`to …` and `otherwise` lines are read by `readLine`). */
  private statement(parsed: ParsedLine<Exclude<LineRule, "definition" | "otherwiseLine">>): Statement | undefined {
    const { span } = parsed;
    switch (parsed.kind) {
      case "ifLine":
        return { kind: "if", branches: [{ condition: this.expressions.expression(parsed.node.children.expression[0]), body: this.body(parsed, "if"), span }], span };
      case "eachLoop":
        return this.eachLoop(parsed);
      case "repeatLoop":
        return { kind: "repeat", count: this.expressions.unary(parsed.node.children.unary[0]), body: this.body(parsed, "repeat"), span };
      case "sayStatement":
        this.noBlock(parsed);
        return { kind: "say", value: this.expressions.expression(parsed.node.children.expression[0]), span };
      case "askStatement":
        return { kind: "ask", prompt: this.expressions.expression(parsed.node.children.expression[0]), block: this.askBlock(parsed), span };
      case "validateStatement":
        return { kind: "validate", checks: this.checks(parsed), span };
      case "ensureStatement":
        this.noBlock(parsed);
        return { kind: "validate", checks: [this.check(parsed.node, span)], span };
      case "stopStatement":
        this.noBlock(parsed);
        return { kind: "stop", span };
      case "failStatement": {
        this.noBlock(parsed);
        const message = child(parsed.node, "expression");
        return { kind: "fail", message: message ? this.expressions.expression(message) : undefined, span };
      }
      case "learnStatement":
        this.noBlock(parsed);
        return { kind: "learn", path: this.expressions.expression(parsed.node.children.expression[0]), span };
      case "setStatement":
        this.noBlock(parsed);
        return this.assignmentOf(parsed.node.children.reference[0], this.expressions.list(parsed.node.children.listExpression[0]), false, span);
      case "useStatement": {
        this.noBlock(parsed);
        const used = this.assignmentOf(parsed.node.children.reference[0], this.expressions.expression(parsed.node.children.expression[0]), false, span);
        // `use the invoice as the current invoice` names the same fact; `use 5 as the limit` assigns.
        return used.value.kind === "reference" ? { ...used, alias: true } : used;
      }
      case "assignment":
        this.noBlock(parsed);
        return this.assignment(parsed.node, span);
      case "nameLine":
        this.noBlock(parsed);
        return { kind: "name", value: this.expressions.referenceExpression(parsed.node.children.reference[0]), span };
      case "callSentence":
        // `validate the invoice` over `ensure` lines is the validate statement, as `validate the following` is.
        if (parsed.line.tokens[0]?.tokenType === T.Validate && parsed.line.children[0]?.tokens[0]?.tokenType === T.Ensure) return { kind: "validate", checks: this.checks(parsed), span };
        return this.call(parsed);
      default:
        return unhandledLine(parsed);
    }
  }

  private assignment(node: AssignmentCstNode, span: Span): Assignment {
    const plural = token(node, "Are") !== undefined;
    const list = plural ? child(node, "listExpression") : child(node, "listOrExpression");
    return this.assignmentOf(node.children.reference[0], this.expressions.list(list!), plural, span);
  }

  private assignmentOf(reference: ReferenceCstNode, value: Expression, plural: boolean, span: Span): Assignment {
    return { kind: "assign", target: this.expressions.reference(reference), value, plural, span };
  }

  private eachLoop(parsed: ParsedLine<"eachLoop">): Statement {
    const { node, span } = parsed;
    const itemWords = tokens(node, "Word");
    const item = itemWords.map((word) => word.image.toLowerCase()).join(" ");
    const itemSpan = tokenSpan(this.file, itemWords[0], itemWords[itemWords.length - 1]);
    const listNode = child(node, "expression");
    const loop: EachLoop = { kind: "each", item, itemSpan, parallel: token(node, "Parallel") !== undefined, body: this.body(parsed, "loop"), span };
    if (listNode) loop.collection = this.expressions.expression(listNode);
    return loop;
  }

  /** The fact lines under an `ask`; any other line is reported (check decides which facts it takes). */
  private askBlock(parsed: ParsedLine): Assignment[] {
    const block: Assignment[] = [];
    for (const line of parsed.line.children) {
      const inner = this.parseLine(line);
      if (!inner) continue;
      if (inner.kind !== "assignment") {
        this.problem(askBlockProblem.code, inner.span, askBlockProblem.message, askBlockProblem.fix);
        continue;
      }
      block.push(this.assignment(inner.node, inner.span));
    }
    return block;
  }

  private checks(parsed: ParsedLine): Check[] {
    const checks: Check[] = [];
    for (const line of parsed.line.children) {
      const inner = this.parseLine(line);
      if (!inner) continue;
      if (inner.kind !== "ensureStatement") {
        this.problem("wrong-line-in-block", inner.span, "A `validate the following` block can only hold `ensure …` lines.", "fix: start each line of the block with `ensure`, as in `ensure the total is greater than 0`.");
        continue;
      }
      checks.push(this.check(inner.node, inner.span));
    }
    if (parsed.line.children.length === 0) this.problem("block-expected", parsed.span, "This `validate` has no `ensure` lines under it.", "fix: indent one or more `ensure <condition>` lines under it.");
    return checks;
  }

  private check(node: EnsureStatementCstNode, span: Span): Check {
    const condition = this.expressions.expression(node.children.expression[0]);
    const source = sourceText(node.children.expression[0]);
    return { condition, source, span };
  }

  private call(parsed: ParsedLine): Statement {
    const words = [...parsed.line.tokens];
    let resultName: string | undefined;
    const as = findResultName(words);
    if (as) {
      resultName = as.name;
      words.length = as.index;
    }
    const block: Assignment[] = [];
    for (const line of parsed.line.children) {
      const header = headerLine(line);
      const inner = this.parseLine(header?.line ?? allowedLine(line) ?? line);
      if (!inner) continue;
      // `the resume` alone passes the fact under its own name: short for `the resume is the resume`.
      if (inner.kind === "nameLine") {
        const passed = this.passedFact(inner);
        if (passed) block.push(passed);
        continue;
      }
      if (inner.kind !== "assignment" && inner.kind !== "setStatement") {
        this.problem("wrong-line-in-block", inner.span, "A call's block can only hold fact lines.", 'fix: write lines like `the tone is "friendly"`; to run other steps, put them after the call, not under it.');
        continue;
      }
      const statement = this.statement(inner);
      if (statement?.kind === "assign") {
        header?.retarget(statement, this.file);
        block.push(statement);
      }
    }
    const text = writtenText(words);
    const unreadable = this.unreadableAsStatement.get(parsed.line);
    return { kind: "call", words, text, resultName, block, span: parsed.span, ...(unreadable ? { unreadable } : {}) };
  }

  private passedFact(parsed: ParsedLine<"nameLine">): Assignment | undefined {
    const value = this.expressions.referenceExpression(parsed.node.children.reference[0]);
    if (value.kind !== "reference") {
      this.problem("wrong-line-in-block", parsed.span, "A call's block passes facts by name, and `the above` has none.", "fix: give the value a name first (`the draft is the above`), then write `the draft` in the block.");
      return undefined;
    }
    return { kind: "assign", target: value.reference, value, plural: false, span: parsed.span };
  }

  private definition(parsed: ParsedLine): void {
    const name: string[] = [];
    for (const word of parsed.line.tokens.slice(1)) {
      if (!/^[^\s\d"“”'’.,:;()+*/<>=!#{}[\]$€£%]/.test(word.image)) {
        this.problem("bad-procedure-name", tokenSpan(this.file, word), `A procedure's name is made of words, but "${word.image}" is not one.`, "fix: name the procedure with words only, as in `to approve an invoice`.");
        return;
      }
      name.push(word.image.toLowerCase());
    }
    const body = this.body(parsed, "procedure");
    this.definitions.push({ kind: "definition", name, body, span: parsed.span });
  }

  private attachOtherwise(previous: Statement | undefined, parsed: ParsedLine<"otherwiseLine">): void {
    if (previous?.kind !== "if" || previous.otherwise) {
      const written = parsed.node.children.Else ? "else" : "otherwise";
      const keyword = child(parsed.node, "expression") ? `${written} if` : written;
      if (previous?.kind === "if") {
        const final = this.finalBranchWords.get(previous) ?? "otherwise";
        this.problem("misplaced-otherwise", parsed.span, `This \`${keyword}\` comes after the final \`${final}\` of its \`if\`.`, `fix: move it above the final \`${final}\`, or start a new \`if\`.`);
      } else {
        this.problem("misplaced-otherwise", parsed.span, `This \`${keyword}\` doesn't follow an \`if\` block.`, "fix: put it right after the block of an `if` line, at the same indentation as the `if`.");
      }
      this.block(parsed.line.children, false);
      return;
    }
    const ifStatement: IfStatement = previous;
    const condition = child(parsed.node, "expression");
    const body = this.body(parsed, "otherwise");
    if (condition) ifStatement.branches.push({ condition: this.expressions.expression(condition), body, span: parsed.span });
    else {
      ifStatement.otherwise = body;
      this.finalBranchWords.set(ifStatement, parsed.node.children.Else ? "else" : "otherwise");
    }
    ifStatement.span = joinSpans(ifStatement.span, parsed.span);
  }

  private body(parsed: ParsedLine, what: string): Statement[] {
    if (parsed.line.children.length === 0) {
      const shown = what === "loop" || what === "procedure" ? what : `\`${what}\``;
      this.problem("block-expected", parsed.span, `This ${shown} line has no block under it.`, "fix: indent the lines it should run under it.");
    }
    return this.block(parsed.line.children, false);
  }

  private noBlock(parsed: ParsedLine): void {
    if (parsed.line.children.length === 0) return;
    const first = parsed.line.children[0].tokens[0];
    this.problem("unexpected-block", tokenSpan(this.file, first), "This line is indented under a line that doesn't take a block.", "fix: line it up with the line above it.");
    this.block(parsed.line.children, false);
  }

  private problem(code: DiagnosticCode, span: Span, message: string, fix: string): void {
    this.diagnostics.push(error(code, span, message, [fix]));
  }
}

/** Statement words a procedure's name may start with: a line that is not the statement may be a call (not `if`, `otherwise`, `for`: they open blocks). */
const callableStatementWords = new Set<TokenType>([T.Process, T.Say, T.Ask, T.Validate, T.Ensure, T.Stop, T.Fail, T.Learn, T.Set, T.Use, T.Repeat]);

/** `process the sale` when no procedure matches it: shown only then (check withdraws it when one does). */
function processWithoutEach(line: SourceLine, file: string): Diagnostic | undefined {
  const [first, second] = line.tokens;
  if (first?.tokenType !== T.Process || second === undefined || second.tokenType === T.Each) return undefined;
  return error("unreadable-line", tokenSpan(file, first, line.tokens[line.tokens.length - 1]), "This `process` line is no loop (a loop is `process each …`), and no procedure is called by these words.", [
    "fix: write the loop as `process each invoice in the invoices`, or define the procedure with a `to process a …` line.",
  ]);
}

function startsLikeStatement(line: SourceLine): boolean {
  const first = line.tokens[0];
  return first !== undefined && callableStatementWords.has(first.tokenType) && line.tokens.length > 1;
}

/** `… as the invoice total` at the end of a call line: the name and where it starts. */
function findResultName(words: IToken[]): { name: string; index: number } | undefined {
  for (let index = words.length - 3; index >= 1; index--) {
    if (words[index].tokenType !== T.As || words[index + 1].tokenType !== T.The) continue;
    const rest = words.slice(index + 2);
    const isWord = (word: IToken) => word.tokenType.CATEGORIES?.includes(T.Word) === true;
    // Words, with possessives between them: `as the invoice's words`.
    const wellFormed = rest.every((word, position) => isWord(word) || (word.tokenType === T.Possessive && position > 0 && position < rest.length - 1 && isWord(rest[position + 1])));
    if (wellFormed && isWord(rest[0])) {
      return { name: rest.map((word) => (word.tokenType === T.Possessive ? "'s" : ` ${word.image.toLowerCase()}`)).join("").trim().replace(/ 's/g, "'s"), index };
    }
    return undefined;
  }
  return undefined;
}

/** The rule and node of a parsed line: the one child of `statement` besides its `EOF`. */
function lineNodeOf(statement: StatementCstNode): { kind: LineRule; node: CstNode } {
  for (const kind of Object.keys(statement.children)) {
    if (kind === "EOF") continue;
    if (!Object.hasOwn(lineRules, kind)) throw new Error(`The grammar's \`statement\` rule read a "${kind}" line, which the statement builder does not know: add it to lineRules in src/syntax/build-statements.ts.`);
    return { kind: kind as LineRule, node: child(statement, kind as LineRule)! };
  }
  throw new Error("The grammar's `statement` rule read a line without recording which kind of line it is.");
}

/** A line rule the builder has no case for: a compile error (its type is not `never`), and loud if reached. */
function unhandledLine(parsed: never): never {
  throw new Error(`The statement builder has no case for a "${(parsed as ParsedLine).kind}" line: add one to StatementBuilder.statement.`);
}

function sourceText(node: CstNode): string {
  return writtenText(allTokensOf(node));
}

/** Tokens of one line as the writer spaced them (runs of spaces as one): `"a", "b"`, not `"a" , "b"`. */
function writtenText(tokens: readonly IToken[]): string {
  let text = "";
  tokens.forEach((token, index) => {
    const previous = tokens[index - 1];
    if (previous && token.startOffset > (previous.endOffset ?? previous.startOffset) + 1) text += " ";
    text += token.image;
  });
  return text;
}
