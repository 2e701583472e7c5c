import { asNumber } from "./arithmetic.js";
import { answerToFact } from "./answer-values.js";
import { display, factToJson } from "./display.js";
import { jsonToFact } from "./json-to-fact.js";
import { boolean, dateFromText, describeKind, Fact, list, text, type Value } from "./values.js";

/**
 * The types a `get` may state (`get the vendor's annual spend as a number`): the answer to its
 * question is checked against it, and a wrong one keeps the question open, saying why.
 */
export type AnswerType = "number" | "date" | "text" | "yes or no" | "list";

/** What a question expects, without an example: "a number", "a date". */
export function expectedKind(type: AnswerType): string {
  return expectedHint(type).replace(/, such as .*$/, "");
}

/** How a question names what it expects, after its text: "What is the spend? (a number)". */
export function expectedHint(type: AnswerType): string {
  switch (type) {
    case "number": return "a number";
    case "date": return "a date, such as 2024-11-05";
    case "text": return "a text";
    case "yes or no": return "yes or no";
    case "list": return "a list, such as a, b and c";
  }
}

/** A typed answer as a fact, or why it does not fit. `nothing` (a skip) fits every type. */
export function typedAnswer(type: AnswerType, answer: unknown): Fact | { problem: string } {
  if (typeof answer !== "string") {
    const fact = jsonToFact(answer);
    return type === "text" && fact.value.kind !== "text" && fact.value.kind !== "nothing" ? new Fact(text(JSON.stringify(answer))) : typedFact(type, fact, JSON.stringify(answer));
  }
  if (type === "text") return new Fact(text(answer));
  if (type === "list") return new Fact(list(answer.split(/\s*,\s*(?:and\s+)?|\s+and\s+/).filter((item) => item.trim() !== "").map((item) => answerToFact(item))));
  return typedFact(type, answerToFact(answer), answer);
}

/** A value already known, read as the type: `1,200` as a number, `"2024-11-05"` as a date. */
export function typedFact(type: AnswerType, fact: Fact, shown = display(fact.value)): Fact | { problem: string } {
  const value = fact.value;
  // A record (an empty one too: `create an empty json`) as text is its JSON text.
  if (type === "text" && value.kind === "nothing" && fact.attributes !== undefined) return new Fact(text(JSON.stringify(factToJson(fact, "original"))));
  if (value.kind === "nothing") return fact;
  const refused = { problem: `"${shown.length > 80 ? `${shown.slice(0, 79)}…` : shown}" is ${describeKind(value)}, not ${expectedKind(type)}.` };
  switch (type) {
    case "number": {
      const found = asNumber(value);
      return found ? new Fact(found, fact.attributes) : refused;
    }
    case "date": {
      const found = value.kind === "date" ? value : value.kind === "text" ? dateFromText(value.text) : undefined;
      return found ? new Fact(found, fact.attributes) : { problem: `${refused.problem.slice(0, -1)}: write it as year-month-day, such as 2024-11-05.` };
    }
    case "yes or no": {
      const found = yesOrNo(value);
      return found ? new Fact(found, fact.attributes) : refused;
    }
    case "text":
      if (value.kind === "list" || fact.hasAttributes()) return new Fact(text(JSON.stringify(factToJson(fact, "original"))));
      return new Fact(text(display(value)), fact.attributes);
    case "list":
      return value.kind === "list" ? fact : new Fact(list([fact]));
  }
}

function yesOrNo(value: Value): Value | undefined {
  if (value.kind === "boolean") return value;
  if (value.kind !== "text") return undefined;
  const word = value.text.trim().toLowerCase();
  if (word === "yes" || word === "true") return boolean(true);
  if (word === "no" || word === "false") return boolean(false);
  return undefined;
}

