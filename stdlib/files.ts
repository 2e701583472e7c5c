import { basename, extname } from "node:path";
import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { argument, textArgument } from "./arguments.js";
import { dataAsJsonText, isData } from "../src/runtime/data-text.js";
import type { DocumentValue } from "../src/runtime/values.js";
import { FileRefused } from "../src/platform/file-refused.js";
import { openFile } from "./data-files.js";
import { tableAsCsv } from "./table-writing.js";

export const textExtensions = new Set([".txt", ".md", ".csv", ".json", ".html", ".htm", ".xml", ".prose", ".log", ".tsv", ".yaml", ".yml"]);

/** How a file is opened: through the run context, failing with an English message. */
export interface DocumentOpener {
  context: Pick<ProcedureCall["context"], "readFile">;
  resolvePath(path: string): string;
  fail(message: string, fix?: string): never;
}

/** Opens a file as a document; text files are read as text (UTF-8). */
export async function openDocument(call: DocumentOpener, written: string): Promise<DocumentValue> {
  const path = call.resolvePath(written);
  let bytes: Uint8Array;
  try {
    bytes = await call.context.readFile(path);
  } catch (problem) {
    // Outside the files root, or a place no script reaches: the path as written, and the flag that would allow it.
    if (problem instanceof FileRefused) call.fail(problem.messageFor(written), problem.fix);
    const code = (problem as NodeJS.ErrnoException).code;
    if (code === "ENOENT") call.fail(`The file "${written}" doesn't exist (looked for ${path}).`, "fix: check the name; a relative path starts at the script's folder.");
    if (code === "EISDIR") call.fail(`"${written}" is a folder, not a file.`);
    if (code === "EACCES") call.fail(`I'm not allowed to read the file "${written}".`);
    if (typeof code === "string") call.fail(`I can't read the file "${written}" (${code}).`);
    throw problem;
  }
  const extension = extname(path).toLowerCase();
  const document: DocumentValue = { kind: "document", path, name: basename(path), extension: extension.replace(/^\./, ""), size: bytes.byteLength };
  if (textExtensions.has(extension) || extension === "") document.text = new TextDecoder("utf-8").decode(bytes).replace(/^\ufeff/, "");
  return document;
}

const readFile = (pattern: string): StandardProcedure => ({
  pattern,
  resultName: "file",
  blockLines: [],
  description: "Opens a file: a .json file as its data, a .csv file as a table (a list of records), any other as a document (a relative path starts at the script's folder).",
  run: async (call) => openFile(call, textArgument(call, "path")),
});

export const fileProcedures: StandardProcedure[] = [
  readFile("read the file {path}"),
  readFile("get the file {path}"),
  {
    pattern: "write {text} to the file {path}",
    blockLines: [],
    description: "Writes a text to a file, replacing what it held: a table (a list of records) as CSV when the path ends in .csv, a record or a table as its JSON text otherwise.",
    run: async (call) => {
      const written = textArgument(call, "path");
      const path = call.resolvePath(written);
      // Data (a record, or a list of records: what a .json or .csv file opens as) is written as
      // CSV to a .csv file (a list there must be a table), as its JSON text to any other.
      const given = argument(call, "text");
      const asTable = extname(written).toLowerCase() === ".csv" && (isData(given) || given.value.kind === "list");
      const contents = asTable ? await tableAsCsv(call, given, written) : isData(given) ? dataAsJsonText(given, "original") : textArgument(call, "text");
      try {
        await call.context.writeFile(path, contents);
      } catch (problem) {
        if (problem instanceof FileRefused) call.fail(problem.messageFor(written), problem.fix);
        const code = (problem as NodeJS.ErrnoException).code;
        if (code === "ENOENT") call.fail(`I can't write "${written}": its folder doesn't exist.`, "fix: create the folder first, or write to an existing one.");
        if (code === "EACCES" || code === "EISDIR") call.fail(`I can't write to "${written}".`, "fix: choose a file you may write to.");
        if (typeof code === "string") call.fail(`I can't write to "${written}" (${code}).`, "fix: choose a file you may write to.");
        throw problem;
      }
      return undefined;
    },
  },
];
