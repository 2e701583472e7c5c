import { describe, expect, it } from "vitest";
import { ProseParser, proseParser } from "../../grammar/parser.js";

/**
 * The parser a script uses skips chevrotain's grammar validations for start-up speed; this
 * builds one with them on, so an ambiguity, a left recursion, a duplicate or an unreachable
 * alternative introduced by a change to the grammar fails here rather than misparsing quietly.
 */
describe("the grammar under chevrotain's validations", () => {
  it("builds with no definition errors", () => {
    // With validations on, chevrotain throws "Parser Definition Errors detected:" and lists each.
    expect(() => new ProseParser({ validate: true })).not.toThrow();
  });

  it("has the same rules as the parser scripts use", () => {
    const validated = new ProseParser({ validate: true });
    expect(Object.keys(validated.getGAstProductions()).sort()).toEqual(Object.keys(proseParser().getGAstProductions()).sort());
  });
});
