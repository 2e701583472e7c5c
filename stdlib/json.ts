import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { argument, textArgument } from "./arguments.js";
import { LimitExceeded } from "../src/runtime/limit-exceeded.js";
import { Fact, NOTHING } from "../src/runtime/values.js";
import { jsonFromText } from "./data-files.js";
import { openDocument } from "./files.js";

/**
 * JSON (LANGUAGE.md §10.4): a JSON object is a record, an array a list. Keys are read as names
 * (`due_date` → `the json's due date`) and remembered, so writing the data back (a `.json`
 * file, `get … as a string`) uses `due_date` again. The JSON text of data is `get … as a string`
 * (stdlib/typed-get.ts).
 */

function placed(call: ProcedureCall, subject: string, read: () => Promise<Fact> | Fact): Promise<Fact> {
  return Promise.resolve()
    .then(read)
    .catch((problem: unknown) => {
      if (problem instanceof LimitExceeded) return call.fail(`I can't read ${subject}: ${problem.message}`, problem.fix);
      throw problem;
    });
}

export const jsonProcedures: StandardProcedure[] = [
  {
    pattern: "get {text} as a json",
    resultName: "json",
    blockLines: [],
    description: "Reads a JSON text into data: an object is a record (keys read as names, `due_date` as `due date`), an array a list.",
    run: (call) => {
      // Already data (a .json file opens as its content): the same data, as a copy.
      const given = argument(call, "text");
      if (given.hasAttributes() || given.value.kind === "list" || given.attributes !== undefined) return given.copy();
      const source = textArgument(call, "text");
      return placed(call, "this JSON", () => jsonFromText(call, source, "This text"));
    },
  },
  {
    pattern: "create an empty json",
    resultName: "json",
    blockLines: [],
    description: "Starts an empty record (`{}`), to fill with `the json's name is …` and write as JSON.",
    run: () => new Fact(NOTHING, new Map()),
  },
  {
    pattern: "read the json from the file {path}",
    resultName: "json",
    blockLines: [],
    description: "Reads a file's text as JSON, whatever its extension: an object is a record, an array a list.",
    run: async (call) => {
      const written = textArgument(call, "path");
      const document = await openDocument(call, written);
      if (document.text === undefined) return call.fail(`The file "${written}" is not a text file (it is a .${document.extension} file), so it holds no JSON.`, "fix: give a .json file.");
      return placed(call, `the file "${written}"`, () => jsonFromText(call, document.text!, `The file "${written}"`));
    },
  },
];
