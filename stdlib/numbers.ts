import type { StandardProcedure } from "../src/runtime/procedure.js";
import { argument, blockNumber, numberArgument } from "./arguments.js";
import { asNumber } from "../src/runtime/arithmetic.js";
import { display } from "../src/runtime/display.js";
import { describeKind, number } from "../src/runtime/values.js";
import { Decimal } from "../src/runtime/decimal.js";

export const numberProcedures: StandardProcedure[] = [
  {
    pattern: "round {number}",
    changesInPlace: "number",
    blockLines: ["decimals"],
    description: "Rounds a number, half up, to `the decimals are …` places (none by default).",
    run: (call) => {
      const value = numberArgument(call, "number");
      const decimals = blockNumber(call, "decimals", 0);
      if (decimals < 0 || decimals > 20) call.fail(`\`the decimals\` must be between 0 and 20, but it is ${decimals}.`);
      return number(value.value.toDecimalPlaces(value.unit === "%" ? decimals + 2 : decimals), value.unit);
    },
  },
  {
    pattern: "truncate {number}",
    changesInPlace: "number",
    blockLines: ["decimals"],
    description: "Cuts a number toward zero to `the decimals are …` places (none by default): 2.79 becomes 2, -2.79 becomes -2.",
    run: (call) => {
      const value = numberArgument(call, "number");
      const decimals = blockNumber(call, "decimals", 0);
      if (decimals < 0 || decimals > 20) call.fail(`\`the decimals\` must be between 0 and 20, but it is ${decimals}.`);
      return number(value.value.toDecimalPlaces(value.unit === "%" ? decimals + 2 : decimals, Decimal.ROUND_DOWN), value.unit);
    },
  },
  {
    pattern: "convert {value} to a number",
    changesInPlace: "value",
    blockLines: [],
    description: 'Reads a number from a text such as "1,200.50", "$5" or "15%".',
    run: (call) => {
      const value = argument(call, "value").value;
      const found = asNumber(value);
      if (!found) call.fail(`I can't read ${describeKind(value)} "${display(value)}" as a number.`, 'fix: a number looks like 1200, 1,200.50, $5 or 15%.');
      return found;
    },
  },
];
