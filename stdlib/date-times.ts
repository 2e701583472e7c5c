import type { ProcedureCall } from "../src/runtime/procedure.js";
import { display } from "../src/runtime/display.js";
import { addDays, dateFromJs, dateFromText, describeKind, type DateValue } from "../src/runtime/values.js";
import { argument, dateArgument, isoDateProblem, numberArgument } from "./arguments.js";

/**
 * Dates with times and time zones, for stdlib/dates.ts. Luxon (IANA time zones, formats,
 * clock changes) is loaded the first time a script needs it, so a script without times starts
 * without it. A date with a time and no zone is a time on the computer's clock, as `now` is.
 */

type Luxon = typeof import("luxon");
type DateTime = import("luxon").DateTime;

let loading: Promise<Luxon> | undefined;

export function luxon(): Promise<Luxon> {
  return (loading ??= import("luxon"));
}

export type DateUnit = "days" | "weeks" | "months" | "years" | "hours" | "minutes";

/** `add 2 months to the due date`, `subtract 3 days from the start`: in whole units; months and years clamp to the month's last day. */
export function shiftDate(call: ProcedureCall, unit: DateUnit, sign: 1 | -1): DateValue | Promise<DateValue> {
  const count = numberArgument(call, "count");
  if (!count.value.isInteger()) call.fail(`I can only ${sign > 0 ? "add" : "subtract"} whole ${unit}, not ${count.value.toString()}.`, `fix: give a whole number of ${unit}, or use a smaller unit.`);
  const amount = count.value.toNumber() * sign;
  const date = dateArgument(call, "date");
  const tooFar = (): never => call.fail(`Moving ${display(date)} by ${amount} ${unit} goes past the years I can count (1 to 9999).`, `fix: check the number of ${unit}.`);
  switch (unit) {
    case "days":
    case "weeks": {
      const days = unit === "weeks" ? amount * 7 : amount;
      // About 3.65 million days span the years 1 to 9999: a count beyond that cannot land in them.
      if (Math.abs(days) > 4_000_000) tooFar();
      const moved = addDays(date, days);
      return withinYears(moved) ? moved : tooFar();
    }
    case "months":
    case "years":
      return addMonths(date, unit === "years" ? amount * 12 : amount) ?? tooFar();
    case "hours":
    case "minutes":
      return luxon().then((library) => {
        const moved = toDateTime(library, date).plus({ [unit]: amount });
        if (!moved.isValid || moved.year < 1 || moved.year > 9999) tooFar();
        return fromDateTime(moved, true, date.zone);
      });
  }
}

function withinYears(value: DateValue): boolean {
  const year = Number(value.date.slice(0, value.date.indexOf("-", 1)));
  return /^\d{4}-/.test(value.date) && year >= 1 && year <= 9999;
}

/** Jan 31 + 1 month = Feb 28 (29 in a leap year): the day is kept, or the month's last day when it has fewer. */
function addMonths(value: DateValue, months: number): DateValue | undefined {
  const [year, month, day] = value.date.split("-").map(Number);
  if (Math.abs(months) > 120_000) return undefined;
  const total = year * 12 + (month - 1) + months;
  const newYear = Math.floor(total / 12);
  const newMonth = total - newYear * 12 + 1;
  const lastDay = new Date(Date.UTC(newYear, newMonth, 0)).getUTCDate();
  if (newYear < 1 || newYear > 9999) return undefined;
  const date = `${String(newYear).padStart(4, "0")}-${String(newMonth).padStart(2, "0")}-${String(Math.min(day, lastDay)).padStart(2, "0")}`;
  return { ...value, date };
}

/** The block's `the time zone is "Europe/Paris"`, checked against the IANA zones, or undefined when the block has none. */
export async function blockZone(call: ProcedureCall): Promise<string | undefined> {
  const line = call.block.get("time zone");
  if (!line) return undefined;
  const written = display(line.value.kind === "list" && line.value.items.length === 1 ? line.value.items[0].value : line.value).trim();
  const { IANAZone } = await luxon();
  if (!IANAZone.isValidZone(written)) {
    call.fail(`I don't know the time zone "${written}".`, 'fix: use a time zone name from the IANA list, such as "Europe/Paris", "America/New_York", "Asia/Tokyo" or "UTC".');
  }
  return IANAZone.create(written).name;
}

/** `get the current time`: the run's clock, in the block's time zone or the computer's. */
export async function currentTime(call: ProcedureCall): Promise<DateValue> {
  if (!call.block.has("time zone")) return dateFromJs(call.context.now(), true);
  const zone = await blockZone(call);
  const { DateTime } = await luxon();
  const moment = DateTime.fromJSDate(call.context.now());
  return fromDateTime(zone ? moment.setZone(zone) : moment, true, zone);
}

/**
 * `convert {value} to a date`: an ISO text (`2026-05-12`, `2026-05-12 09:30`), or one written
 * in `the format is "MM/dd/yyyy"`; a time is read in the block's time zone when it has one.
 */
export function convertToDate(call: ProcedureCall): DateValue | Promise<DateValue> {
  const given = argument(call, "value").value;
  const format = call.block.get("format");
  // Already a date (a second `convert`, or `today`): it stays as it is; a format reads texts.
  if (given.kind === "date") return given;
  if (given.kind !== "text") {
    call.fail(`I can't read ${describeKind(given)} (${display(given)}) as a date.`, 'fix: give a text such as "2026-05-12", or a text in the format the block names with `the format is "MM/dd/yyyy"`.');
  }
  const written = display(given);
  if (!format) {
    const found = dateFromText(written);
    if (!found) call.fail(`"${written}" is not a date: ${isoDateProblem(written)}.`, 'fix: write the date as yyyy-MM-dd, such as "2026-05-12", or name its format in the block, as in `the format is "MM/dd/yyyy"`.');
    if (!call.block.has("time zone")) return found;
    return blockZone(call).then((zone) => (found.time && zone ? { ...found, zone } : found));
  }
  const pattern = display(format.value.kind === "list" && format.value.items.length === 1 ? format.value.items[0].value : format.value);
  return (async () => {
    const zone = await blockZone(call);
    const { DateTime } = await luxon();
    const parsed = DateTime.fromFormat(written.trim(), pattern, { zone: zone ?? "system", locale: "en-US" });
    if (!parsed.isValid) {
      const reason = parsed.invalidReason === "unit out of range" ? "there is no such day or time" : "it does not have that shape";
      call.fail(`"${written}" is not a date in the format "${pattern}": ${reason}.`, `fix: write the date as "${pattern}" says (for example "${DateTime.fromObject({ year: 2026, month: 5, day: 12, hour: 9, minute: 30 }).toFormat(pattern, { locale: "en-US" })}"), or change \`the format is …\` to match how the dates are written.`);
    }
    const withTime = /[Hhms]/.test(pattern.replace(/'[^']*'/g, ""));
    return fromDateTime(parsed, withTime, withTime ? zone : undefined);
  })();
}

/** A date shown in the block's time zone: its time moves there (a date without a time stays that day). */
export async function inBlockZone(call: ProcedureCall, date: DateValue): Promise<DateValue> {
  const zone = await blockZone(call);
  if (!zone || !date.time) return date;
  return fromDateTime(toDateTime(await luxon(), date).setZone(zone), true, zone);
}

function toDateTime(library: Luxon, value: DateValue): DateTime {
  const [year, month, day] = value.date.split("-").map(Number);
  const [hour, minute, second] = (value.time ?? "00:00:00").split(":").map(Number);
  return library.DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: value.zone ?? "system" });
}

function fromDateTime(moment: DateTime, withTime: boolean, zone: string | undefined): DateValue {
  const date = moment.toFormat("yyyy-MM-dd");
  if (!withTime) return { kind: "date", date };
  const time = moment.toFormat("HH:mm:ss");
  return zone ? { kind: "date", date, time, zone } : { kind: "date", date, time };
}
