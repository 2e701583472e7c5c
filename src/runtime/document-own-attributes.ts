/**
 * A document's own attributes (LANGUAGE.md §10.2): what the runtime knows of the file itself.
 * Any other possessive on a document is a field the model reads from it (see document-fields.ts).
 */
const ownAttributes = new Set(["file name", "text", "pages", "size", "extension", "path"]);

export function isDocumentOwnAttribute(name: string): boolean {
  return ownAttributes.has(name);
}
