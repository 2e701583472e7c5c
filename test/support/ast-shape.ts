import type { Expression, ProcedureDefinition, Statement } from "../../src/syntax/ast.js";
import type { Diagnostic } from "../../src/syntax/diagnostic.js";
import { tokenize } from "../../grammar/lexer.js";
import { StatementBuilder } from "../../src/syntax/build-statements.js";
import { splitLines } from "../../src/syntax/source-lines.js";
import { lexDiagnostic } from "../../src/syntax/lex-diagnostic.js";
import { askChoices } from "../../src/check/ask-choices.js";
import { loopCollection } from "../../src/check/loop-collection.js";
import { definitionPattern } from "../../src/check/procedure-pattern.js";

/**
 * What the statement builder makes of some lines, in a compact form tests can compare whole:
 * expressions as prefix forms (`(+ 1 (* 2 3))`, `(not (greater the a 1))`), statements as plain
 * objects without spans. What check makes of the lines as written (a loop's default list, an
 * `ask`'s choices, a procedure's pattern) is shown too, so a test reads what the script means.
 */
export interface Built {
  statements: unknown[];
  definitions: unknown[];
  diagnostics: Diagnostic[];
}

export function build(...lines: string[]): Built {
  const { tokens, problems } = tokenize(`${lines.join("\n")}\n`);
  const lexical = problems.map((problem) => lexDiagnostic(problem, "script.prose"));
  const builder = new StatementBuilder("script.prose");
  const statements = builder.block(splitLines(tokens), true);
  return { statements: statements.map(statementShape), definitions: builder.definitions.map(definitionShape), diagnostics: [...lexical, ...builder.diagnostics] };
}

/** The one statement some lines build, which must build without a diagnostic. */
export function buildOne(...lines: string[]): unknown {
  const built = build(...lines);
  if (built.diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${built.diagnostics.map((diagnostic) => diagnostic.message).join(" / ")}`);
  if (built.statements.length !== 1) throw new Error(`expected one statement, built ${built.statements.length}`);
  return built.statements[0];
}

export function statementShape(statement: Statement): unknown {
  switch (statement.kind) {
    case "assign":
      return { assign: statement.target.text, value: show(statement.value), ...(statement.plural ? { plural: true } : {}) };
    case "say":
      return { say: show(statement.value) };
    case "if":
      return {
        if: statement.branches.map((branch) => ({ when: show(branch.condition), then: branch.body.map(statementShape) })),
        ...(statement.otherwise ? { otherwise: statement.otherwise.map(statementShape) } : {}),
      };
    case "each":
      return { each: statement.item, in: show(loopCollection(statement)), ...(statement.parallel ? { parallel: true } : {}), do: statement.body.map(statementShape) };
    case "repeat":
      return { repeat: show(statement.count), do: statement.body.map(statementShape) };
    case "ask":
      const choices = askChoices(statement);
      return { ask: show(statement.prompt), ...(choices ? { choices: show(choices) } : {}) };
    case "validate":
      return { validate: statement.checks.map((check) => ({ check: show(check.condition), source: check.source })) };
    case "stop":
      return { stop: true };
    case "fail":
      return { fail: statement.message ? show(statement.message) : null };
    case "learn":
      return { learn: show(statement.path) };
    case "name":
      return { name: show(statement.value) };
    case "call":
      return {
        call: statement.text,
        words: statement.words.map((word) => word.image),
        ...(statement.resultName ? { as: statement.resultName } : {}),
        ...(statement.block.length > 0 ? { block: statement.block.map(statementShape) } : {}),
      };
  }
}

function definitionShape(definition: ProcedureDefinition): unknown {
  const pattern = definitionPattern(definition);
  return { to: pattern.text, pattern: pattern.parts, do: definition.body.map(statementShape) };
}

export function show(expression: Expression): string {
  switch (expression.kind) {
    case "credential": return `the credential ${JSON.stringify(expression.name)}`;
    case "text":
      return JSON.stringify(expression.parts.map((part) => (typeof part === "string" ? part : `{${show(part)}}`)).join(""));
    case "number":
      return `${expression.currency ?? ""}${expression.digits}${expression.percent ? "%" : ""}`;
    case "boolean":
      return String(expression.value);
    case "nothing":
      return "nothing";
    case "date":
      return expression.word;
    case "reference":
      return expression.reference.text;
    case "above":
      return "the above";
    case "aggregate":
      return `(${expression.operator} of ${show(expression.operand)})`;
    case "days between":
      return `(days between ${show(expression.from)} ${show(expression.to)})`;
    case "list":
      return `[${expression.items.map(show).join(", ")}]`;
    case "arithmetic":
      return `(${expression.operator} ${show(expression.left)} ${show(expression.right)})`;
    case "negate":
      return `(- ${show(expression.operand)})`;
    case "comparison":
      return `(${expression.negated ? "not " : ""}${expression.operator} ${show(expression.left)} ${show(expression.right)})`;
    case "test":
      return `(${expression.negated ? "not " : ""}${expression.test} ${show(expression.operand)})`;
    case "logical":
      return `(${expression.operator} ${show(expression.left)} ${show(expression.right)})`;
    case "not":
      return `(not ${show(expression.operand)})`;
    case "filter":
      return `(${show(expression.list)} whose ${show(expression.condition)})`;
    case "item":
      return `item's ${expression.text}`;
    case "attributes":
      return `(${expression.text} of ${show(expression.of)})`;
  }
}
