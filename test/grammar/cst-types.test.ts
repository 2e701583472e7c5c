import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cstTypesText } from "./cst-types-text.js";

describe("grammar/cst.ts", () => {
  it("is what chevrotain generates from the parser's rules (run `npm run cst-types` after changing a rule)", () => {
    const checkedIn = readFileSync(new URL("../../grammar/cst.ts", import.meta.url), "utf8");
    expect(checkedIn).toBe(cstTypesText());
  });
});
