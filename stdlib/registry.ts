import type { StandardProcedure } from "../src/runtime/procedure.js";
import { textProcedures } from "./text.js";
import { numberProcedures } from "./numbers.js";
import { listProcedures } from "./lists.js";
import { dateProcedures } from "./dates.js";
import { fileProcedures } from "./files.js";
import { factProcedures } from "./facts.js";
import { llmProcedures } from "./llm.js";

/** The standard library: one table that `check`, the interpreter and error messages all read. */
export const standardProcedures: readonly StandardProcedure[] = [
  ...factProcedures,
  ...textProcedures,
  ...numberProcedures,
  ...listProcedures,
  ...dateProcedures,
  ...fileProcedures,
  ...llmProcedures,
];
