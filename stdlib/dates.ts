import type { StandardProcedure } from "../src/runtime/procedure.js";
import { blockText, dateArgument, numberArgument } from "./arguments.js";
import { addDays, dateFromJs, number, text } from "../src/runtime/values.js";
import { formatDate } from "./format-date.js";

export const dateProcedures: StandardProcedure[] = [
  {
    pattern: "get the current date",
    resultName: "current date",
    blockLines: [],
    description: "Today's date, from the run's clock.",
    run: (call) => dateFromJs(call.context.now(), false),
  },
  {
    pattern: "add {count} days to {date}",
    changesInPlace: "date",
    blockLines: [],
    description: "Moves a date forward by a number of days.",
    run: (call) => {
      const count = numberArgument(call, "count");
      if (!count.value.isInteger()) call.fail(`I can only add whole days, not ${count.value.toString()}.`);
      return addDays(dateArgument(call, "date"), count.value.toNumber());
    },
  },
  {
    pattern: "convert {value} to a date",
    changesInPlace: "value",
    blockLines: [],
    description: 'Reads a date from an ISO text such as "2024-11-05".',
    run: (call) => dateArgument(call, "value"),
  },
  {
    pattern: "format {date}",
    changesInPlace: "date",
    blockLines: ["format"],
    description: 'Writes a date as text with `the format is "dd/MM/yyyy"` (yyyy-MM-dd by default).',
    run: (call) => text(formatDate(dateArgument(call, "date"), blockText(call, "format", "yyyy-MM-dd"))),
  },
  {
    pattern: "wait {seconds} seconds",
    blockLines: [],
    description: "Pauses the run.",
    run: async (call) => {
      const seconds = numberArgument(call, "seconds").value.toNumber();
      if (seconds < 0) call.fail("I can't wait a negative number of seconds.");
      await call.context.sleep(seconds * 1000, call.context.signal);
      return number(seconds);
    },
  },
];
