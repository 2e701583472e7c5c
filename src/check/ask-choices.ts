import type { Assignment, AskStatement, Expression } from "../syntax/ast.js";

/** Whether a line under an `ask` gives its choices: `the choices are "Email", "SMS"`. */
export function isChoicesLine(line: Assignment): boolean {
  return line.target.text.toLowerCase() === "the choices";
}

/** The choices an `ask` offers: the value of its (last) `the choices are …` line; none without one. */
export function askChoices(ask: AskStatement): Expression | undefined {
  let choices: Expression | undefined;
  for (const line of ask.block) if (isChoicesLine(line)) choices = line.value;
  return choices;
}
