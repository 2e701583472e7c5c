/**
 * Fields a script reads from a document through possessives (`the invoice's total`,
 * `the invoice's "tax id"`), read by the model: all the fields check saw the script read from
 * that document, in one structured call (LANGUAGE.md §10.2; src/runtime/document-fields.ts).
 * Loaded on the first such read, like the other LLM procedures.
 */
import type { ProcedureCall } from "../src/runtime/procedure.js";
import { generateStructured } from "../src/llm/procedures/model-call.js";
import { AnswerCut, fieldsBound } from "../src/llm/procedures/output-bound.js";
import type { FieldSpec } from "../src/llm/procedures/field-spec.js";
import { ModelResolutionError } from "../src/llm/model-resolver.js";
import { ProviderError } from "../src/llm/provider-error.js";
import { answerToFact } from "../src/runtime/answer-values.js";
import { dateFromText, Fact, type DocumentValue } from "../src/runtime/values.js";
import { blockNumber } from "./arguments.js";
import { callSettings, modelSession } from "./llm-call-settings.js";
import { fieldProperties } from "./llm-extraction.js";
import { contentOf } from "./llm-sources.js";

const instructions = [
  "You read fields from the document the user gives.",
  "Answer with one JSON object holding exactly the requested fields, each as a text.",
  "Take every value from the document; never invent one: use null when the document does not state it.",
  "Write dates as YYYY-MM-DD; write amounts as the document writes them (with their currency sign).",
].join(" ");

export async function readDocumentFieldsRun(call: ProcedureCall, document: DocumentValue, fields: readonly string[]): Promise<Map<string, Fact | null>> {
  const specs: FieldSpec[] = fields.map((name) => ({ name, format: "string", hasDefault: false }));
  const system = `${instructions}\n\nFields:\n${fields.map((field) => `- "${field}"`).join("\n")}`;
  try {
    const content = await contentOf(call, new Fact(document), blockNumber(call, "dpi", 100));
    const answer = await generateStructured(modelSession(call), callSettings(call), system, content, "document_fields", fieldProperties(specs), fieldsBound(specs.map((spec) => spec.format)));
    return new Map(fields.map((field) => [field, fieldFact(answer.values[field])]));
  } catch (problem) {
    if (problem instanceof ModelResolutionError || problem instanceof ProviderError) call.fail(problem.message);
    if (problem instanceof AnswerCut) {
      // The fields become questions; the warning says why the model gave none.
      call.context.warn(`${problem.message} Reading ${fields.map((field) => `"${field}"`).join(", ")} from ${document.name}: ${problem.fix}.`);
      return new Map(fields.map((field) => [field, null]));
    }
    throw problem;
  }
}

/** A field's text as a person would mean it: an ISO date is a date, "1,200.50" and "$5" numbers. */
function fieldFact(value: unknown): Fact | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    if (value.trim() === "") return null;
    const date = dateFromText(value);
    if (date && !date.time) return new Fact(date);
  }
  return answerToFact(value);
}
