import type { StandardProcedure } from "../src/runtime/procedure.js";
import { calculate, ArithmeticProblem } from "../src/runtime/arithmetic.js";
import { argument } from "./arguments.js";
import { Fact, list, type Value } from "../src/runtime/values.js";
import { valuesEqual } from "../src/runtime/compare.js";
import { appendItem } from "../src/runtime/list-ownership.js";
import { modelBlockLines } from "./llm-call-settings.js";

function addOrSubtract(call: Parameters<StandardProcedure["run"]>[0], operator: "+" | "-"): Value {
  const target = argument(call, "target");
  const amount = argument(call, "value");
  if (target.value.kind === "list") {
    if (operator === "-") {
      const kept = target.value.items.filter((item) => !valuesEqual(item.value, amount.value));
      return { kind: "list", items: kept };
    }
    // Stored back under the target's name: another name for the same list keeps its items (the
    // list is copied unless the target alone holds it, see list-ownership.ts). A record is
    // appended as a copy, so changing it afterwards (in a loop that builds one record per round)
    // does not change the item already added.
    return appendItem(target, target.value, amount.hasAttributes() ? amount.copy() : new Fact(amount.value));
  }
  if (operator === "+" && target.value.kind === "nothing" && !target.hasAttributes()) return startedWith(amount);
  try {
    return calculate(operator, target.value, amount.value);
  } catch (problem) {
    if (problem instanceof ArithmeticProblem) call.fail(problem.message, problem.fix);
    throw problem;
  }
}

/**
 * Adding to nothing starts something: the number itself when a number is added, otherwise a list
 * of one (as if the fact were an empty list), so `the checklist is nothing` then
 * `add "first task" to the checklist` gives a list, never the text "nothingfirst task".
 */
function startedWith(amount: Fact): Value {
  if (amount.value.kind === "number" && !amount.hasAttributes()) return amount.value;
  return list([amount.hasAttributes() ? amount.copy() : new Fact(amount.value)]);
}

export const factProcedures: StandardProcedure[] = [
  {
    pattern: "add {value} to {target}",
    changesInPlace: "target",
    blockLines: [],
    description: "Adds a number to a fact, or appends an item to a list.",
    run: (call) => addOrSubtract(call, "+"),
  },
  {
    pattern: "subtract {value} from {target}",
    changesInPlace: "target",
    blockLines: [],
    description: "Subtracts a number from a fact, or removes an item from a list.",
    run: (call) => addOrSubtract(call, "-"),
  },
  {
    pattern: "get {name}",
    // A document's field (`get the document's total`) is read by the model: its lines apply.
    blockLines: [...modelBlockLines, "dpi"],
    description: "Fetches a value; if it is not known, the run asks for it.",
    run: (call) => argument(call, "name"),
  },
];
