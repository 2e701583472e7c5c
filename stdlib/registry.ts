import type { StandardProcedure } from "../src/runtime/procedure.js";
import { newPhrasebook } from "../src/check/check-script.js";
import type { Phrasebook } from "../src/check/phrasebook.js";
import { textProcedures } from "./text.js";
import { numberProcedures } from "./numbers.js";
import { listProcedures } from "./lists.js";
import { dateProcedures } from "./dates.js";
import { fileProcedures } from "./files.js";
import { factProcedures } from "./facts.js";
import { typedGetProcedures } from "./typed-get.js";
import { llmProcedures } from "./llm.js";
import { tableProcedures } from "./tables.js";
import { jsonProcedures } from "./json.js";
import { emailProcedures } from "./email.js";
import { folderProcedures } from "./folders.js";
import { runProcedures } from "./runs.js";
import { webProcedures } from "./web.js";

/** The standard library: one table that `check` (handed it by its callers), the interpreter and error messages all read. */
export const standardProcedures: readonly StandardProcedure[] = [
  ...factProcedures,
  ...typedGetProcedures,
  ...textProcedures,
  ...numberProcedures,
  ...listProcedures,
  ...dateProcedures,
  ...fileProcedures,
  ...tableProcedures,
  ...jsonProcedures,
  ...llmProcedures,
  ...emailProcedures,
  ...folderProcedures,
  ...runProcedures,
  ...webProcedures,
];

/** A new phrasebook of the standard procedures, to check a script against (each check extends its own). */
export function standardPhrasebook(): Phrasebook {
  return newPhrasebook(standardProcedures);
}
