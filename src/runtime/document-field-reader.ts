import { dirname, isAbsolute, resolve } from "node:path";
import type { CheckedProgram } from "../check/check-script.js";
import { documentFieldsOf } from "../check/document-field-plan.js";
import type { Statement } from "../syntax/ast.js";
import { documentAttributeNames } from "./document-attributes.js";
import { documentField, type DocumentFieldNeeded, keepDocumentFields } from "./document-fields.js";
import { RuntimeError } from "./errors.js";
import { isStandardProcedure, type ProcedureCall, type StandardProcedure } from "./procedure.js";
import type { Strand } from "./strand.js";
import type { Fact } from "./values.js";

/** The standard procedure that carries the reader of document fields, found once per phrasebook. */
const readers = new WeakMap<CheckedProgram, StandardProcedure | null>();

function readerOf(program: CheckedProgram): StandardProcedure | undefined {
  let found = readers.get(program);
  if (found === undefined) {
    found = null;
    for (const entry of program.phrasebook.entries) {
      if (entry.standard && isStandardProcedure(entry.standard) && entry.standard.readDocumentFields) {
        found = entry.standard;
        break;
      }
    }
    readers.set(program, found);
  }
  return found ?? undefined;
}

/**
 * Asks the model for the field a statement needs and, in the same call, for every other field
 * check saw the script read from a document held under that name (LANGUAGE.md §10.2). The
 * fields are kept on the document value; the caller runs the statement again. `block` holds
 * the statement's block lines (a `get` with `the openai model is …`), for the model to use.
 */
export async function readDocumentFields(needed: DocumentFieldNeeded, statement: Statement, block: Map<string, Fact>, strand: Strand, program: CheckedProgram): Promise<void> {
  const span = needed.reference.span;
  const reader = readerOf(program);
  if (!reader?.readDocumentFields) {
    throw new RuntimeError(`${needed.reference.text} is a field the model reads from the document ${needed.document.name}, but this run has no model procedures.`, span, "fix: run the script with `prose run`, which has the standard library.");
  }
  const planned = documentFieldsOf(program).get(needed.owner) ?? [];
  const fields = [needed.field, ...planned.filter((field) => field !== needed.field && !documentAttributeNames.includes(field) && documentField(needed.document, field) === undefined)];
  const call: ProcedureCall = {
    span: statement.span,
    arguments: new Map(),
    block,
    context: strand.context,
    resultName: needed.owner,
    askValues: (subjects) => strand.desk.askAbout(subjects, statement.span),
    resolvePath: (path) => (isAbsolute(path) ? path : resolve(dirname(statement.span.file), path)),
    fail: (message, fix) => {
      throw new RuntimeError(message, statement.span, fix);
    },
  };
  const values = await reader.readDocumentFields(call, needed.document, fields);
  // A field the reader gave no entry for counts as not found, so a read never asks twice.
  keepDocumentFields(needed.document, new Map(fields.map((field) => [field, values.get(field) ?? null])));
}
