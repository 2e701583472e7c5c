import { Decimal } from "./decimal.js";
import { checkListLength, checkTextLength, valueTooDeep } from "./limit-exceeded.js";
import { checkNewList } from "./list-measure.js";
import { VALUE_NESTING } from "../syntax/limits.js";
import { carryKeys } from "./original-keys.js";

/** What a fact can hold. Lists hold facts, so every item may have attributes too. */
export type Value = TextValue | NumberValue | BooleanValue | DateValue | ListValue | NothingValue | DocumentValue | SecretValue;

/**
 * `the credential "crm token"`: the name of one of the agent's secrets, never its value. It shows
 * as `[secret]` everywhere; only a web request's header (and an SMTP login) uses the value, which
 * the command line reads from the store as the request goes.
 */
export interface SecretValue {
  kind: "secret";
  name: string;
}

/** How a secret shows, in every place a value can show. */
export const SECRET_SHOWN = "[secret]";

export interface TextValue {
  kind: "text";
  text: string;
}

export type Unit = "$" | "€" | "£" | "%";

export interface NumberValue {
  kind: "number";
  value: Decimal;
  /** A currency sign, or `%` for a percentage (15% is held as 0.15). */
  unit?: Unit;
}

export interface BooleanValue {
  kind: "boolean";
  value: boolean;
}

export interface DateValue {
  kind: "date";
  /** `yyyy-mm-dd`. */
  date: string;
  /** `hh:mm:ss`, for `now`. */
  time?: string;
  /** The IANA time zone the time is read in (`Europe/Paris`), when one was given (stdlib/date-times.ts). */
  zone?: string;
}

export interface ListValue {
  kind: "list";
  items: Fact[];
}

export interface NothingValue {
  kind: "nothing";
}

export interface DocumentValue {
  kind: "document";
  path: string;
  name: string;
  extension: string;
  size: number;
  /** The text of a text document; undefined for binary ones (images, PDFs). */
  text?: string;
}

/** A named piece of data: a value and, optionally, attributes (a small tree). */
export class Fact {
  constructor(
    public value: Value = NOTHING,
    public attributes?: Map<string, Fact>,
  ) {}

  hasAttributes(): boolean {
    return this.attributes !== undefined && this.attributes.size > 0;
  }

  attribute(name: string): Fact | undefined {
    return this.attributes?.get(name);
  }

  setAttribute(name: string, fact: Fact): void {
    (this.attributes ??= new Map()).set(name, fact);
  }

  /** A deep copy: its value, its attributes and a list's items are its own. */
  copy(depth = 0): Fact {
    if (depth > VALUE_NESTING.most) throw valueTooDeep();
    const value = this.value.kind === "list" ? { kind: "list" as const, items: this.value.items.map((item) => item.copy(depth + 1)) } : this.value;
    const attributes = this.attributes ? new Map([...this.attributes].map(([name, fact]) => [name, fact.copy(depth + 1)])) : undefined;
    const copied = new Fact(value, attributes);
    carryKeys(this, copied);
    return copied;
  }
}

export const NOTHING: NothingValue = Object.freeze({ kind: "nothing" }) as NothingValue;
export const TRUE: BooleanValue = Object.freeze({ kind: "boolean", value: true }) as BooleanValue;
export const FALSE: BooleanValue = Object.freeze({ kind: "boolean", value: false }) as BooleanValue;

export function text(value: string): TextValue {
  checkTextLength(value.length);
  return { kind: "text", text: value };
}

export function number(value: Decimal | number | string, unit?: Unit): NumberValue {
  const decimal = value instanceof Decimal ? value : new Decimal(value);
  return unit ? { kind: "number", value: decimal, unit } : { kind: "number", value: decimal };
}

export function boolean(value: boolean): BooleanValue {
  return value ? TRUE : FALSE;
}

export function list(items: Array<Fact | Value>): ListValue {
  checkListLength(items.length);
  return checkNewList({ kind: "list", items: items.map((item) => (item instanceof Fact ? item : new Fact(item))) });
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** `"2024-11-05"` → a date, when the text is a real ISO date. */
export function dateFromText(textValue: string): DateValue | undefined {
  const match = isoDate.exec(textValue.trim());
  if (!match) return undefined;
  const [, year, month, day, hours, minutes, seconds] = match;
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (probe.getUTCMonth() !== Number(month) - 1 || probe.getUTCDate() !== Number(day)) return undefined;
  if (hours !== undefined && (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59)) return undefined;
  const date = `${year}-${month}-${day}`;
  return hours === undefined ? { kind: "date", date } : { kind: "date", date, time: `${hours}:${minutes}:${seconds ?? "00"}` };
}

export function dateFromJs(moment: Date, withTime: boolean): DateValue {
  const pad = (part: number) => String(part).padStart(2, "0");
  const date = `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
  if (!withTime) return { kind: "date", date };
  return { kind: "date", date, time: `${pad(moment.getHours())}:${pad(moment.getMinutes())}:${pad(moment.getSeconds())}` };
}

/** Days are counted in UTC so that daylight-saving changes never shift a date. */
export function addDays(value: DateValue, days: number): DateValue {
  const [year, month, day] = value.date.split("-").map(Number);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  const date = moved.toISOString().slice(0, 10);
  if (!value.time) return { kind: "date", date };
  return value.zone ? { kind: "date", date, time: value.time, zone: value.zone } : { kind: "date", date, time: value.time };
}

export function daysBetween(from: DateValue, to: DateValue): number {
  const toUtc = (value: DateValue) => {
    const [year, month, day] = value.date.split("-").map(Number);
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((toUtc(to) - toUtc(from)) / 86_400_000);
}

const numberText = /^\s*(-)?([$€£])?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%)?\s*$/;

/** `"1,200.50"`, `"$5"`, `"15%"` → a number; anything else → undefined. */
export function numberFromText(textValue: string): NumberValue | undefined {
  const match = numberText.exec(textValue);
  if (!match) return undefined;
  const [, minus, currency, whole, fraction, percent] = match;
  let value = new Decimal(`${minus ?? ""}${whole.replace(/,/g, "")}${fraction ?? ""}`);
  if (percent) value = value.div(100);
  const unit = (currency as Unit | undefined) ?? (percent ? "%" : undefined);
  return number(value, unit);
}

export function describeKind(value: Value): string {
  switch (value.kind) {
    case "text": return "a text";
    case "number": return value.unit && value.unit !== "%" ? "an amount" : value.unit === "%" ? "a percentage" : "a number";
    case "boolean": return "a yes/no";
    case "date": return "a date";
    case "list": return "a list";
    case "nothing": return "nothing";
    case "document": return "a document";
    case "secret": return "a credential";
  }
}
