import type { StandardProcedure } from "../src/runtime/procedure.js";
import { blockText, dateArgument, numberArgument } from "./arguments.js";
import { addDays, dateFromJs, number, text } from "../src/runtime/values.js";
import { formatDate } from "./format-date.js";
import { convertToDate, currentTime, inBlockZone, shiftDate, type DateUnit } from "./date-times.js";

const units: readonly DateUnit[] = ["days", "weeks", "months", "years", "hours", "minutes"];

/** `add {count} weeks to {date}` (and `week`, for 1) … `subtract {count} minutes from {date}`: in place, as `add {count} days to` is. */
function shiftProcedures(): StandardProcedure[] {
  const procedures: StandardProcedure[] = [];
  for (const [verb, sign, joint] of [["add", 1, "to"], ["subtract", -1, "from"]] as const) {
    for (const unit of units) {
      for (const word of [unit, unit.slice(0, -1)]) {
        // `add {count} days to {date}` is the original one, below, with its own message.
        if (verb === "add" && word === "days") continue;
        procedures.push({
          pattern: `${verb} {count} ${word} ${joint} {date}`,
          changesInPlace: "date",
          blockLines: [],
          description: verb === "add" ? `Moves a date forward by a number of ${unit}${unit === "months" || unit === "years" ? " (Jan 31 + 1 month is the last day of February)" : ""}.` : `Moves a date back by a number of ${unit}.`,
          run: (call) => shiftDate(call, unit, sign),
        });
      }
    }
  }
  return procedures;
}

export const dateProcedures: StandardProcedure[] = [
  {
    pattern: "get the current date",
    resultName: "current date",
    blockLines: [],
    description: "Today's date, from the run's clock.",
    run: (call) => dateFromJs(call.context.now(), false),
  },
  {
    pattern: "get the current time",
    resultName: "current time",
    blockLines: ["time zone"],
    description: 'The date and time now, from the run\'s clock (in `the time zone is "Europe/Paris"` when given, otherwise the computer\'s).',
    run: (call) => currentTime(call),
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
    blockLines: ["format", "time zone"],
    description: 'Reads a date from an ISO text such as "2024-11-05", or one written as `the format is "MM/dd/yyyy"` says (a time is read in `the time zone is …`).',
    run: (call) => convertToDate(call),
  },
  {
    pattern: "format {date}",
    changesInPlace: "date",
    blockLines: ["format", "time zone"],
    description: 'Writes a date as text with `the format is "dd/MM/yyyy"` (yyyy-MM-dd by default); a time is shown in `the time zone is …` when given.',
    run: (call) => {
      const date = dateArgument(call, "date");
      const pattern = blockText(call, "format", "yyyy-MM-dd");
      if (!call.block.has("time zone")) return text(formatDate(date, pattern));
      return inBlockZone(call, date).then((shown) => text(formatDate(shown, pattern)));
    },
  },
  ...shiftProcedures(),
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
