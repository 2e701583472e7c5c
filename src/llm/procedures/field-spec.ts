import { z } from "zod";

/** The formats a field of `extract data` (or a column of `extract a table`) may declare. */
export type FieldFormat = "string" | "text" | "number" | "date" | "boolean" | "list";

export const fieldFormats: readonly FieldFormat[] = ["string", "text", "number", "date", "boolean", "list"];

export interface FieldSpec {
  name: string;
  format: FieldFormat;
  rule?: string;
  /** The value to take when the model finds none; undefined means ask a person. */
  hasDefault: boolean;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function realDate(text: string): boolean {
  if (!isoDate.test(text)) return false;
  const [year, month, day] = text.split("-").map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** The local check of one field's value (null means "not found" and is always allowed). */
export function fieldValidator(format: FieldFormat): z.ZodType {
  switch (format) {
    case "string":
    case "text":
      return z.string().nullable();
    case "number":
      return z.number().finite().nullable();
    case "date":
      return z.string().refine(realDate, { message: "a date written as YYYY-MM-DD" }).nullable();
    case "boolean":
      return z.boolean().nullable();
    case "list":
      return z.array(z.string()).nullable();
  }
}

const formatWords: Record<FieldFormat, string> = {
  string: "a text",
  text: "a text",
  number: "a number (digits only, no currency sign or thousands separator)",
  date: "a date written as YYYY-MM-DD",
  boolean: "true or false",
  list: "a list of texts",
};

export function describeFormat(format: FieldFormat): string {
  return formatWords[format];
}

/** The JSON schema of one field, in the subset every provider's structured output accepts. */
export function fieldJsonSchema(field: FieldSpec): Record<string, unknown> {
  const description = [`${field.name}: ${describeFormat(field.format)}`, field.rule, "null when the source does not give it"].filter(Boolean).join(". ");
  switch (field.format) {
    case "number":
      return { type: ["number", "null"], description };
    case "boolean":
      return { type: ["boolean", "null"], description };
    case "list":
      return { type: ["array", "null"], items: { type: "string" }, description };
    default:
      return { type: ["string", "null"], description };
  }
}

/** An object schema with every field required (null allowed) and nothing else: strict-mode safe. */
export function objectSchema(properties: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
}

/**
 * Checks one field's value; returns the normalized value or an English problem. Numbers given
 * as text ("1,200.50") and yes/no texts are accepted, as a person would read them, and so is a
 * number or yes/no where a text is asked for (`14.2` is the text "14.2").
 */
export function checkField(field: FieldSpec, raw: unknown): { value: unknown } | { problem: string } {
  const normalized = normalize(field.format, raw);
  const result = fieldValidator(field.format).safeParse(normalized);
  if (result.success) return { value: result.data };
  const shown = typeof raw === "string" ? `"${raw}"` : JSON.stringify(raw);
  return { problem: `"${field.name}" must be ${describeFormat(field.format)}, but the answer gave ${shown}` };
}

function normalize(format: FieldFormat, raw: unknown): unknown {
  if (raw === undefined) return null;
  if ((format === "text" || format === "string") && (typeof raw === "number" || typeof raw === "boolean")) return String(raw);
  if (format === "number" && typeof raw === "string") {
    const cleaned = raw.replace(/[$€£,\s]/g, "");
    if (/^-?\d+(\.\d+)?$/.test(cleaned)) return Number(cleaned);
  }
  if (format === "boolean" && typeof raw === "string") {
    const lower = raw.trim().toLowerCase();
    if (lower === "true" || lower === "yes") return true;
    if (lower === "false" || lower === "no") return false;
  }
  if (format === "date" && typeof raw === "string") return raw.trim();
  if (format === "list" && typeof raw === "string") return raw.split(/\s*[,;]\s*/).filter((part) => part !== "");
  return raw;
}
