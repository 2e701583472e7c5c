import type { ProcedureCall } from "../src/runtime/procedure.js";
import { ordinalWord } from "../src/syntax/ordinals.js";
import type { ContentPart } from "../src/llm/language-model.js";
import { generateStructured, type CallSettings, type ModelSession, type StructuredProperty } from "../src/llm/procedures/model-call.js";
import { checkField, fieldFormats, fieldJsonSchema, objectSchema, type FieldFormat, type FieldSpec } from "../src/llm/procedures/field-spec.js";
import { display } from "../src/runtime/display.js";
import { AnswerCut, defaultBounds, fieldsBound } from "../src/llm/procedures/output-bound.js";
import { boolean, dateFromText, Fact, list, NOTHING, number, text, type Value } from "../src/runtime/values.js";

/** Fields of `extract data` (`the first field is …`) or columns of `extract a table`. */
export function fieldSpecs(call: ProcedureCall, listName: "fields" | "columns"): Array<FieldSpec & { defaultValue?: Fact }> {
  const holder = call.block.get(listName);
  const singular = listName === "fields" ? "field" : "column";
  if (!holder || holder.value.kind !== "list" || holder.value.items.length === 0) {
    call.fail(`This call needs ${listName} to look for.`, `fix: add block lines like \`the first ${singular} is "total"\` and \`the first ${singular}'s format is "number"\`.`);
  }
  const seen = new Set<string>();
  return holder.value.items.map((item, index) => {
    const name = display(item.value).trim();
    if (name === "" || name === "nothing") call.fail(`The ${singular} number ${index + 1} has no name.`, `fix: write \`the ${ordinalWord(index + 1)} ${singular} is "…"\`.`);
    if (seen.has(name.toLowerCase())) call.fail(`Two ${listName} are named "${name}".`, "fix: give each a different name.");
    seen.add(name.toLowerCase());
    const formatFact = item.attribute("format");
    const format = (formatFact ? display(formatFact.value).trim().toLowerCase() : "string") as FieldFormat;
    if (!fieldFormats.includes(format)) {
      call.fail(`The ${singular} "${name}" has the format "${format}", which I don't know.`, `fix: use one of ${fieldFormats.map((known) => `"${known}"`).join(", ")}.`);
    }
    const rule = item.attribute("rule");
    const defaultValue = item.attribute("default");
    return { name, format, rule: rule ? display(rule.value) : undefined, hasDefault: defaultValue !== undefined, defaultValue };
  });
}

export function fieldProperties(fields: FieldSpec[]): Record<string, StructuredProperty> {
  return Object.fromEntries(fields.map((field) => [field.name, { schema: fieldJsonSchema(field), check: (raw: unknown) => checkField(field, raw) }]));
}

const extractionInstructions = [
  "You extract data from the source the user gives.",
  "Answer with one JSON object holding exactly the requested fields.",
  "Take every value from the source; never invent one: use null when the source does not state it.",
  "Write dates as YYYY-MM-DD and numbers with digits only (a dot for decimals, no currency sign or thousands separator).",
].join(" ");

function fieldList(fields: FieldSpec[]): string {
  return fields.map((field) => `- "${field.name}": ${field.format}${field.rule ? ` (${field.rule})` : ""}`).join("\n");
}

/**
 * One record from one source: fields the model could not give (or gave in a broken format even
 * after the repair request) take their default, or become questions for a person.
 */
export async function extractRecord(
  call: ProcedureCall,
  session: ModelSession,
  settings: CallSettings,
  content: ContentPart[],
  fields: Array<FieldSpec & { defaultValue?: Fact }>,
  describeSubject: (field: string) => string,
): Promise<Fact> {
  const system = `${extractionInstructions}\n\nFields:\n${fieldList(fields)}`;
  const answer = await generateStructured(session, settings, system, content, "extracted_data", fieldProperties(fields), fieldsBound(fields.map((field) => field.format))).catch((problem: unknown) => {
    if (!(problem instanceof AnswerCut)) throw problem;
    // Cut twice by its bound: no field came back; each takes its default or is asked, and the warning says why.
    call.context.warn(`${problem.message} No field came back: ${problem.fix}.`);
    return { values: {} as Record<string, unknown>, problems: {} as Record<string, string> };
  });
  const record = new Fact();
  const missing: Array<FieldSpec & { defaultValue?: Fact }> = [];
  for (const field of fields) {
    const value = answer.values[field.name];
    if (value === null || value === undefined) {
      if (field.defaultValue) record.setAttribute(field.name, new Fact(field.defaultValue.value));
      else missing.push(field);
      continue;
    }
    record.setAttribute(field.name, new Fact(fieldValue(field.format, value)));
  }
  if (missing.length > 0) {
    const answers = await call.askValues(missing.map((field) => describeSubject(field.name)));
    missing.forEach((field, index) => record.setAttribute(field.name, answers[index]));
  }
  return record;
}

/** A checked field value as a Prose value: numbers decimal, dates as dates, lists of texts. */
export function fieldValue(format: FieldFormat, value: unknown): Value {
  if (value === null || value === undefined) return NOTHING;
  switch (format) {
    case "number":
      return number(String(value));
    case "boolean":
      return boolean(value === true);
    case "date":
      return dateFromText(String(value)) ?? text(String(value));
    case "list":
      return list((value as unknown[]).map((item) => text(String(item))));
    default:
      return text(String(value));
  }
}

/** `extract a table`: rows of records with the declared columns. */
export async function extractTable(
  call: ProcedureCall,
  session: ModelSession,
  settings: CallSettings,
  content: ContentPart[],
  description: string | undefined,
): Promise<Fact> {
  const columns = fieldSpecs(call, "columns");
  const rowSchema = objectSchema(Object.fromEntries(columns.map((column) => [column.name, fieldJsonSchema(column)])));
  const rows: StructuredProperty = {
    schema: { type: "array", items: rowSchema, description: description ?? "every row of the table" },
    check: (raw) => {
      if (!Array.isArray(raw)) return { problem: `"rows" must be a list of rows` };
      const problems: string[] = [];
      const checked = raw.map((row, index) => {
        const cells: Record<string, unknown> = {};
        for (const column of columns) {
          const result = checkField(column, row !== null && typeof row === "object" ? (row as Record<string, unknown>)[column.name] : undefined);
          if ("problem" in result) problems.push(`row ${index + 1}: ${result.problem}`);
          else cells[column.name] = result.value;
        }
        return cells;
      });
      return problems.length > 0 ? { problem: problems.join("; ") } : { value: checked };
    },
  };
  const system = [
    "You extract a table from the source the user gives.",
    description ? `The table: ${description}.` : "",
    `Answer with a JSON object whose "rows" list holds one object per row, with these columns:\n${fieldList(columns)}`,
    "Use null for a cell the source leaves empty. Write dates as YYYY-MM-DD and numbers with digits only.",
  ].filter(Boolean).join("\n");
  const answer = await generateStructured(session, settings, system, content, "extracted_table", { rows }, defaultBounds.table);
  if (answer.problems.rows !== undefined) call.fail(`The model's table broke its format even after a repair request: ${answer.problems.rows}.`, "fix: check the columns' formats, or give clearer `the description is …`.");
  const records = (answer.values.rows as Array<Record<string, unknown>>).map((row) => {
    const record = new Fact();
    for (const column of columns) record.setAttribute(column.name, new Fact(fieldValue(column.format, row[column.name])));
    return record;
  });
  return new Fact(list(records));
}
