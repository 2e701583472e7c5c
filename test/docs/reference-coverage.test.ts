import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { standardProcedures } from "../../stdlib/registry.js";

/** docs/language.md documents every standard procedure and every block line they take. */
const reference = readFileSync(fileURLToPath(new URL("../../docs/language.md", import.meta.url)), "utf8");
const lowerReference = reference.toLowerCase();

/** A block line as a script writes it: `the delimiter`, or an item of a built list (`the first field`). */
function isWritten(line: string): boolean {
  const singular = line.endsWith("ies") ? `${line.slice(0, -3)}y` : line.endsWith("s") ? line.slice(0, -1) : line;
  return [`the ${line}`, `the first ${singular}`].some((form) => new RegExp(`\\b${form}\\b`).test(lowerReference));
}

describe("docs/language.md", () => {
  it("shows every standard procedure's pattern", () => {
    const missing = standardProcedures.map((procedure) => procedure.pattern).filter((pattern) => !reference.includes(`\`${pattern}\``));
    expect(missing, "patterns of stdlib/registry.ts missing from docs/language.md (write each as `pattern`)").toEqual([]);
  });

  it("shows every block line of the standard procedures", () => {
    const lines = [...new Set(standardProcedures.flatMap((procedure) => procedure.blockLines))];
    const missing = lines.filter((line) => !isWritten(line));
    expect(missing, "block lines missing from docs/language.md").toEqual([]);
  });
});
