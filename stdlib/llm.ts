import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { modelBlockLines } from "./llm-call-settings.js";

type Implementations = typeof import("./llm-procedures.js");

/** The LLM procedures' table entries; what they do is loaded on the first call. */
function lazily(name: keyof Implementations): StandardProcedure["run"] {
  return async (call: ProcedureCall) => {
    const implementations = await import("./llm-procedures.js");
    return (implementations[name] as (call: ProcedureCall) => ReturnType<StandardProcedure["run"]>)(call);
  };
}

const extractData: StandardProcedure = {
  pattern: "extract data from {source}",
  resultName: "data",
  modelSources: ["source"],
  blockLines: [...modelBlockLines, "fields", "dpi"],
  description: "Asks the model for the declared fields of a source; a list of sources gives a list of records.",
  run: lazily("extractDataRun"),
};

const extractTableProcedure: StandardProcedure = {
  pattern: "extract a table from {source}",
  resultName: "table",
  modelSources: ["source"],
  blockLines: [...modelBlockLines, "columns", "description", "dpi"],
  description: "Asks the model for the rows of a table, one record per row with the declared columns.",
  run: lazily("extractTableRun"),
};

const summarize: StandardProcedure = {
  pattern: "summarize {source}",
  resultName: "summary",
  modelSources: ["source"],
  blockLines: [...modelBlockLines, "length", "focus", "dpi"],
  description: "Asks the model for a summary (`the length is \"3 sentences\"`, `the focus is …`).",
  run: lazily("summarizeRun"),
};

const classify: StandardProcedure = {
  pattern: "classify {source}",
  resultName: "category",
  modelSources: ["source"],
  blockLines: [...modelBlockLines, "categories", "dpi"],
  description: "Asks the model which of the given categories fits; the result is always one of them.",
  run: lazily("classifyRun"),
};

const translate: StandardProcedure = {
  pattern: "translate {source} to {language}",
  resultName: "translation",
  modelSources: ["source"],
  blockLines: [...modelBlockLines, "dpi"],
  description: "Asks the model to translate a source into a language.",
  run: lazily("translateRun"),
};

const askTheModel: StandardProcedure = {
  pattern: "ask the model {prompt}",
  resultName: "answer",
  modelSources: ["prompt"],
  blockLines: [...modelBlockLines, "response format", "dpi"],
  description: 'Asks the model a question; `the response format is "number"` (or date, list of texts, json) shapes the answer.',
  run: lazily("askTheModelRun"),
};

/**
 * `find the document's "date"`: a value, or nothing when it is not known — a document's field
 * the model did not find gives nothing instead of a question. It also carries the reader of
 * documents' fields (`the invoice's total` on a document), for the interpreter to find.
 */
const find: StandardProcedure = {
  pattern: "find {name}",
  unknownIsNothing: "name",
  blockLines: [...modelBlockLines, "dpi"],
  description: "Fetches a value, or nothing when it is not known (a document's field the model did not find); never asks.",
  run: (call: ProcedureCall) => call.arguments.get("name"),
  readDocumentFields: async (call, document, fields) => (await import("./llm-document-fields.js")).readDocumentFieldsRun(call, document, fields),
};

export const llmProcedures: StandardProcedure[] = [extractData, extractTableProcedure, summarize, classify, translate, askTheModel, find];
