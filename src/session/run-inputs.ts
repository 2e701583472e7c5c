import { resolve } from "node:path";
import { openFile } from "../../stdlib/data-files.js";
import { answerToFact } from "../runtime/answer-values.js";
import type { RunContext } from "../runtime/run-context.js";
import type { RunInput } from "../runtime/run-program.js";
import { SessionError } from "./session-error.js";

/**
 * A run's inputs as kept in its record (`--input` pairs): `name=value`, or `name=@path` to open a
 * file (a document, or the data of a .json or .csv file), read through the run's files (inside its confinement).
 */
export function parseRunInputs(pairs: readonly string[], files: Pick<RunContext, "readFile">): Promise<RunInput[]> {
  return Promise.all(pairs.map((pair) => parseInput(pair, files)));
}

async function parseInput(pair: string, files: Pick<RunContext, "readFile">): Promise<RunInput> {
  const equals = pair.indexOf("=");
  if (equals <= 0) throw new SessionError(`--input "${pair}" ${equals < 0 ? 'has no "="' : 'names nothing before "="'}.`, 'Write it as --input "customer=John Smith" or --input invoice=@invoice.txt.');
  const name = pair.slice(0, equals);
  const value = pair.slice(equals + 1);
  if (!value.startsWith("@")) return { name, value: answerToFact(value) };
  const path = resolve(value.slice(1));
  const opened = await openFile(
    {
      context: files,
      resolvePath: (written) => resolve(written),
      fail: (message, fix) => {
        throw new SessionError(`--input ${name}: ${message}`, fix);
      },
    },
    path,
  );
  return { name, value: opened };
}
