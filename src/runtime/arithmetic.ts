import type { ArithmeticOperator } from "../syntax/ast.js";
import { display } from "./display.js";
import { isoDateProblem, looksLikeIsoDate } from "./date-text.js";
import { addDays, dateFromText, daysBetween, describeKind, number, numberFromText, text, type NumberValue, type Unit, type Value } from "./values.js";

/** Why an operation can't be done, in English; the caller adds where. */
export class ArithmeticProblem extends Error {
  constructor(message: string, readonly fix?: string) {
    super(message);
  }
}

const operatorWords: Record<ArithmeticOperator, string> = { "+": "add", "-": "subtract", "*": "multiply", "/": "divide" };

export function calculate(operator: ArithmeticOperator, left: Value, right: Value): Value {
  // An ISO text computes as a date where a date is expected: before `+ N` or `- N` days, and on
  // either side of a subtraction of dates. Any other `+` with a text joins texts.
  const textDate = left.kind === "text" && (operator === "-" || (operator === "+" && asNumber(right))) ? dateFromText(left.text) : undefined;
  // `"2026-02-30" + 1`: written as a date, but no day; joining the texts would hide it.
  if (left.kind === "text" && !textDate && (operator === "+" || operator === "-") && asNumber(right) && looksLikeIsoDate(left.text)) {
    throw new ArithmeticProblem(`"${left.text}" is not a date: ${isoDateProblem(left.text)}.`, 'fix: write the date as yyyy-MM-dd, such as "2024-11-05".');
  }
  if (operator === "+" && !textDate && (left.kind === "text" || right.kind === "text") && !(asNumber(left) && asNumber(right))) {
    return text(display(left) + display(right));
  }
  const leftDate = left.kind === "date" ? left : textDate;
  if (leftDate && (operator === "+" || operator === "-")) {
    const rightDate = right.kind === "date" ? right : right.kind === "text" ? dateFromText(right.text) : undefined;
    if (rightDate && operator === "-") return number(daysBetween(rightDate, leftDate));
    const days = asNumber(right);
    if (days && days.value.isInteger()) return addDays(leftDate, operator === "+" ? days.value.toNumber() : -days.value.toNumber());
  }
  const a = asNumber(left);
  const b = asNumber(right);
  if (!a || !b) {
    const bad = a ? right : left;
    throw new ArithmeticProblem(
      `I can't ${operatorWords[operator]} ${describeKind(left)} and ${describeKind(right)}: "${display(bad)}" is not a number.`,
      "fix: check that both sides hold numbers.",
    );
  }
  return numberOperation(operator, a, b);
}

function numberOperation(operator: ArithmeticOperator, a: NumberValue, b: NumberValue): NumberValue {
  switch (operator) {
    case "+":
    case "-": {
      const unit = sumUnit(a.unit, b.unit, operator);
      return number(operator === "+" ? a.value.plus(b.value) : a.value.minus(b.value), unit);
    }
    case "*":
      return number(a.value.times(b.value), productUnit(a.unit, b.unit));
    case "/": {
      if (b.value.isZero()) throw new ArithmeticProblem("I can't divide by zero.", "fix: check the divisor before dividing, for example with `if the count is not 0`.");
      const unit = isCurrency(a.unit) && !isCurrency(b.unit) ? a.unit : undefined;
      return number(a.value.div(b.value), unit);
    }
  }
}

function isCurrency(unit: Unit | undefined): boolean {
  return unit !== undefined && unit !== "%";
}

function sumUnit(a: Unit | undefined, b: Unit | undefined, operator: "+" | "-"): Unit | undefined {
  if (a === b || b === undefined) return a;
  if (a === undefined) return b;
  throw new ArithmeticProblem(
    `I can't ${operatorWords[operator]} ${a === "%" ? "a percentage" : a} and ${b === "%" ? "a percentage" : b} amounts.`,
    "fix: convert them to the same unit first.",
  );
}

function productUnit(a: Unit | undefined, b: Unit | undefined): Unit | undefined {
  if (isCurrency(a) && !isCurrency(b)) return a;
  if (isCurrency(b) && !isCurrency(a)) return b;
  if (a === "%" && b === "%") return "%";
  return undefined;
}

/** A number, or a text that reads as one ("1,200", "$5"); undefined otherwise. */
export function asNumber(value: Value): NumberValue | undefined {
  if (value.kind === "number") return value;
  if (value.kind === "text") return numberFromText(value.text);
  return undefined;
}
