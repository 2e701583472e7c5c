import { describe, expect, it } from "vitest";
import type { Expression, Statement } from "../../src/syntax/ast.js";
import { formatDiagnostic } from "../../src/syntax/format-diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { ordinalIndex, ordinalWord } from "../../src/syntax/ordinals.js";
import { pluralOf, singularOf } from "../../src/syntax/plurals.js";
import { spanAt } from "../../src/syntax/span.js";
import { definitionPattern } from "../../src/check/procedure-pattern.js";
import { loopCollection } from "../../src/check/loop-collection.js";

function parse(source: string): Statement[] {
  const { script, diagnostics } = parseScript(source, "x.prose");
  expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual([]);
  return script.statements;
}

/** An expression as a compact formula, for comparing shapes. */
function formula(expression: Expression): string {
  switch (expression.kind) {
    case "credential": return `credential(${JSON.stringify(expression.name)})`;
    case "text": return JSON.stringify(expression.parts.map((part) => (typeof part === "string" ? part : `{${formula(part)}}`)).join(""));
    case "number": return `${expression.currency ?? ""}${expression.digits}${expression.percent ? "%" : ""}`;
    case "boolean": return String(expression.value);
    case "nothing": return "nothing";
    case "date": return expression.word;
    case "reference": return expression.reference.segments.map((segment) => (segment.ordinal ? `[${segment.ordinal.index}]${segment.ordinal.noun}` : segment.name)).join("'s ");
    case "above": return "above";
    case "aggregate": return `${expression.operator}(${formula(expression.operand)})`;
    case "days between": return `days(${formula(expression.from)}, ${formula(expression.to)})`;
    case "list": return `[${expression.items.map(formula).join(", ")}]`;
    case "arithmetic": return `(${formula(expression.left)} ${expression.operator} ${formula(expression.right)})`;
    case "negate": return `-${formula(expression.operand)}`;
    case "comparison": return `(${formula(expression.left)} ${expression.negated ? "not " : ""}${expression.operator} ${formula(expression.right)})`;
    case "test": return `(${formula(expression.operand)} ${expression.negated ? "not " : ""}${expression.test})`;
    case "logical": return `(${formula(expression.left)} ${expression.operator} ${formula(expression.right)})`;
    case "not": return `not ${formula(expression.operand)}`;
    case "filter": return `(${formula(expression.list)} whose ${formula(expression.condition)})`;
    case "item": return `item's ${expression.path.map((segment) => segment.name).join("'s ")}`;
    case "attributes": return `(${expression.path.map((segment) => segment.name).join("'s ")} of ${formula(expression.of)})`;
  }
}

function valueOf(source: string): string {
  const [statement] = parse(source);
  if (statement.kind !== "assign" && statement.kind !== "say") throw new Error(`not a value line: ${statement.kind}`);
  return formula(statement.value);
}

describe("expressions", () => {
  it("follow the usual precedence, left to right", () => {
    expect(valueOf("say 1 + 2 * 3 - 4 / 2")).toBe("((1 + (2 * 3)) - (4 / 2))");
    expect(valueOf("say 2 multiplied by 3 divided by 4 plus 1 minus 1")).toBe("((((2 * 3) / 4) + 1) - 1)");
    expect(valueOf("say -(1 + 2) * 3")).toBe("(-(1 + 2) * 3)");
  });

  it("read `and` as logical after `is` and as a list joiner after `are`", () => {
    expect(valueOf("the flag is yes and no")).toBe("(true and false)");
    expect(valueOf('the names are "a", "b" and "c"')).toBe('["a", "b", "c"]');
    expect(valueOf('the codes is "A", "B"')).toBe('["A", "B"]');
  });

  it("bind and tighter than or, and not tighter than and", () => {
    expect(valueOf("say yes or no and not no")).toBe("(true or (false and not false))");
  });

  it("read every comparison form", () => {
    const conditions = [
      ["the a is the b", "(a equal b)"],
      ["the a is not the b", "(a not equal b)"],
      ["the a is greater than 1", "(a greater 1)"],
      ["the a is more than 1", "(a greater 1)"],
      ["the a is not less than 1", "(a not less 1)"],
      ["the a is at least 1", "(a at least 1)"],
      ["the a is at most 1", "(a at most 1)"],
      ["the a != 1", "(a not equal 1)"],
      ["the a <= 1", "(a at most 1)"],
      ['the a contains "x"', '(a contains "x")'],
      ['the a does not contain "x"', '(a not contains "x")'],
      ['the a starts with "x"', '(a starts with "x")'],
      ['the a is started by "x"', '(a starts with "x")'],
      ['the a ends with "x"', '(a ends with "x")'],
      ['the a is ended by "x"', '(a ends with "x")'],
      ["the a is empty", "(a empty)"],
      ["the a is not empty", "(a not empty)"],
      ["the a exists", "(a exists)"],
      ["the a does not exist", "(a not exists)"],
    ];
    for (const [written, shape] of conditions) expect([written, valueOf(`say ${written}`)]).toEqual([written, shape]);
  });

  it("read literals: numbers with separators, units, dates, curly quotes and interpolation", () => {
    expect(valueOf("the x are 1,200.50, $120.20, €5, £3, 15%, -3.5")).toBe("[1200.50, $120.20, €5, £3, 15%, -3.5]");
    expect(valueOf("the x are today, tomorrow, yesterday, now, yes, no, true, false, nothing")).toBe("[today, tomorrow, yesterday, now, true, false, true, false, nothing]");
    expect(valueOf('say "Invoice {the number} is {{due}}"')).toBe('"Invoice {number} is {due}"');
    expect(valueOf("say “curly”")).toBe('"curly"');
  });

  it("read names: possessives, ordinals, aggregates and the above", () => {
    expect(valueOf("say the customer's address's city")).toBe("customer's address's city");
    expect(valueOf("say the first vendor's name")).toBe("[1]vendor's name");
    expect(valueOf("say the 12th line")).toBe("[12]line");
    expect(valueOf("say the last invoice")).toBe("[-1]invoice");
    expect(valueOf("say the invoice's 2nd line")).toBe("invoice's [2]line");
    expect(valueOf("say the number of vendors")).toBe("number(vendors)");
    expect(valueOf("say the number of days between the start and the due date's end")).toBe("days(start, due date's end)");
    expect(valueOf("say the number of days between today and the due date is less than 7")).toBe("(days(today, due date) less 7)");
    expect(valueOf("say the number of days between \"2026-01-01\" + 1 and now")).toBe('days(("2026-01-01" + 1), now)');
    expect(valueOf("say the sum of the invoices' totals")).toBe("sum(invoices's totals)");
    expect(valueOf("say the average of (1, 2)")).toBe("average([1, 2])");
    expect(valueOf("say the above")).toBe("above");
    expect(valueOf("say the invoice number")).toBe("invoice number");
    expect(valueOf("say the Very  Special greeting")).toBe("very special greeting");
  });
});

describe("statements", () => {
  it("drop the words that may end a line that opens a block", () => {
    for (const opener of [" then", ":", " where", " with", " as follows", " as follows:", ".", " then."]) {
      const [statement] = parse(`if yes${opener}\n    say 1\n`);
      expect([opener, statement.kind]).toEqual([opener, "if"]);
    }
  });

  it("gather if / otherwise if / otherwise, also written else", () => {
    const [statement] = parse("if yes\n    say 1\nelse if no\n    say 2\notherwise if no\n    say 3\nelse\n    say 4\n");
    expect(statement.kind).toBe("if");
    if (statement.kind !== "if") return;
    expect(statement.branches).toHaveLength(3);
    expect(statement.otherwise).toHaveLength(1);
  });

  it("read loops with and without their list", () => {
    const [explicit, implicit, parallel] = parse("for each vendor in the vendors\n    say 1\nprocess each category\n    say 1\nprocess each document in the documents in parallel as follows\n    say 1\n");
    expect([explicit, implicit, parallel].map((loop) => (loop.kind === "each" ? [loop.item, formula(loopCollection(loop)), loop.parallel] : loop.kind))).toEqual([
      ["vendor", "vendors", false],
      ["category", "categories", false],
      ["document", "documents", true],
    ]);
  });

  it("read a call with its result name and parameter block", () => {
    const [call] = parse('split the text into parts as the words\n    the delimiter is ","\n');
    expect(call).toMatchObject({ kind: "call", text: "split the text into parts", resultName: "words", block: [{ kind: "assign", target: { text: "the delimiter" } }] });
  });

  it("read procedure definitions with their slots", () => {
    const { script } = parseScript("to translate a text into a language for the boss\n    say 1\n", "x.prose");
    expect(script.definitions.map((definition) => definitionPattern(definition).text)).toEqual(["translate {text} into {language} for boss"]);
  });

  it("read every other statement", () => {
    const kinds = parse('say 1\nask "Why?"\nvalidate the following\n    ensure yes\nensure yes\nstop\nfail "x"\nfail\nlearn "lib.prose"\nset the a to 1\nuse the a as the b\nthe c is 1\nfrobnicate the widget\n').map((statement) => statement.kind);
    expect(kinds).toEqual(["say", "ask", "validate", "validate", "stop", "fail", "fail", "learn", "assign", "assign", "assign", "call"]);
  });

  it("keeps keywords case-insensitive", () => {
    expect(parse("IF YES THEN\n    SAY 1\nOTHERWISE\n    Say 2\n").map((statement) => statement.kind)).toEqual(["if"]);
  });

  it("reports each broken line and keeps reading the others and their blocks", () => {
    const { script, diagnostics } = parseScript('say "a"\nthe total is\nif the x is\n    say "b" +\nsay "c"\n', "x.prose");
    expect(diagnostics.map((diagnostic) => diagnostic.span.start.line)).toEqual([2, 3, 4]);
    expect(script.statements.map((statement) => statement.kind)).toEqual(["say", "say"]);
  });
});

describe("format-diagnostic", () => {
  it("shows file:line:col, the line, a caret under the span, and the notes", () => {
    const diagnostic = { severity: "error" as const, message: "Bad.", span: spanAt("a.prose", 2, 5, 12, 3), notes: ["fix: do better."] };
    expect(formatDiagnostic(diagnostic, "first\nsay abc def\n")).toBe("a.prose:2:5: error: Bad.\n  say abc def\n      ^^^\n  fix: do better.");
  });

  it("shows tabs as four spaces and moves the caret with them", () => {
    const diagnostic = { severity: "warning" as const, message: "Look.", span: spanAt("a.prose", 1, 2, 1, 3) };
    expect(formatDiagnostic(diagnostic, "\tsay")).toBe("a.prose:1:2: warning: Look.\n      say\n      ^^^");
  });

  it("leaves out the source line when it is blank or unknown", () => {
    const diagnostic = { severity: "error" as const, message: "Bad.", span: spanAt("a.prose", 3, 1, 0) };
    expect(formatDiagnostic(diagnostic, "a\nb\n")).toBe("a.prose:3:1: error: Bad.");
    expect(formatDiagnostic(diagnostic, undefined)).toBe("a.prose:3:1: error: Bad.");
  });

  it("keeps the caret within the line", () => {
    const diagnostic = { severity: "error" as const, message: "Bad.", span: spanAt("a.prose", 1, 3, 2, 50) };
    expect(formatDiagnostic(diagnostic, "abcd")).toBe("a.prose:1:3: error: Bad.\n  abcd\n    ^^");
  });
});

describe("plurals and ordinals", () => {
  it("make English plurals of the last word", () => {
    const words = ["invoice", "category", "box", "church", "person", "child", "data", "shelf", "knife", "potato", "photo", "day", "line item", "criterion"];
    expect(words.map(pluralOf)).toEqual(["invoices", "categories", "boxes", "churches", "people", "children", "data", "shelves", "knives", "potatoes", "photos", "days", "line items", "criteria"]);
  });

  it("guess singulars back", () => {
    expect(["invoices", "categories", "boxes", "people", "totals", "address", "statuses"].map(singularOf)).toEqual(["invoice", "category", "box", "person", "total", "address", "status"]);
  });

  it("read and write ordinals", () => {
    expect(["first", "Tenth", "last", "1st", "22nd", "113th", "zeroth", "0th"].map(ordinalIndex)).toEqual([1, 10, -1, 1, 22, 113, undefined, undefined]);
    expect([1, 10, 11, 12, 13, 21, 22, 23, 101, 111, -1].map(ordinalWord)).toEqual(["first", "tenth", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "last"]);
  });
});
