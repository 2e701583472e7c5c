import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { repositoryRoot } from "./built-cli.js";

/** ajv-formats is CommonJS: its default export is the plugin, under `default` when imported from ESM. */
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/** The JSON contract's schema (schemas/run.schema.json), compiled strictly (draft 2020-12, formats checked). */
export const runJsonSchema = JSON.parse(readFileSync(join(repositoryRoot, "schemas", "run.schema.json"), "utf8")) as object;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(runJsonSchema);

/** The schema's complaints about a value ([] when it follows the contract), as short lines. */
export function contractViolations(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""} ${JSON.stringify(error.params)}`);
}

/** The one JSON object a `--json` command printed: stdout must hold exactly one, and it must follow the schema. */
export function contractObject(stdout: string): Record<string, unknown> {
  const lines = stdout.split("\n").filter((line) => line.trim() !== "");
  if (lines.length !== 1) throw new Error(`expected exactly one JSON line on stdout, got ${lines.length}:\n${stdout}`);
  const value = JSON.parse(lines[0]) as Record<string, unknown>;
  const violations = contractViolations(value);
  if (violations.length > 0) throw new Error(`the output breaks schemas/run.schema.json:\n${violations.join("\n")}\n${lines[0]}`);
  return value;
}
