import type { NameSegment, Reference } from "../syntax/ast.js";
import type { DocumentValue, Fact } from "./values.js";

/**
 * Fields read from a document by the model (LANGUAGE.md §10.2): `the invoice's total` when the
 * invoice is a document. The first read of a field the document does not hold yet stops the
 * statement with `DocumentFieldNeeded`; the interpreter then asks the model for every field the
 * script reads from that document (check's plan, src/check/document-field-plan.ts) in one call,
 * keeps them on the document value, and runs the statement again. A model call is journaled, so
 * a resumed run gets the same fields back without calling the model.
 */

/** A field the model gave (a fact), or could not find in the document (null). */
export type DocumentField = Fact | null;

/** The fields read so far, per document value (a document read again is a new value, read again). */
const fieldsByDocument = new WeakMap<DocumentValue, Map<string, DocumentField>>();

/** The field, when the model has been asked for it: a fact, or null when it was not found. */
export function documentField(document: DocumentValue, name: string): DocumentField | undefined {
  return fieldsByDocument.get(document)?.get(name);
}

export function keepDocumentFields(document: DocumentValue, fields: ReadonlyMap<string, DocumentField>): void {
  let kept = fieldsByDocument.get(document);
  if (!kept) fieldsByDocument.set(document, (kept = new Map()));
  for (const [name, field] of fields) kept.set(name, field);
}

/** The name a document is held under, as check's plan keys it: `invoice` for `the invoice`, `the first invoice`, `each invoice`. */
export function ownerKey(segment: NameSegment): string {
  return segment.ordinal ? segment.ordinal.noun : segment.name;
}

/** Raised while evaluating: a field of a document the model has not been asked for yet. */
export class DocumentFieldNeeded {
  constructor(
    readonly document: DocumentValue,
    /** The field read (`total`, `tax id`, `first address`). */
    readonly field: string,
    /** The name the document is held under (see `ownerKey`). */
    readonly owner: string,
    /** The reference being read, for messages. */
    readonly reference: Reference,
  ) {}
}
