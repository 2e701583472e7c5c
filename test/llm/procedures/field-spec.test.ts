import { describe, expect, it } from "vitest";
import { checkField } from "../../../src/llm/procedures/field-spec.js";

/** How a field's value from a model is read: as a person would read it, or an English problem. */
describe("a field's value", () => {
  it("is a text when a text is asked for and the model gives a number or yes/no", () => {
    expect(checkField({ name: "total", format: "text", hasDefault: false }, 14.2)).toEqual({ value: "14.2" });
    expect(checkField({ name: "paid", format: "string", hasDefault: false }, true)).toEqual({ value: "true" });
  });

  it("reads a number written as text, and refuses a text that is no number", () => {
    expect(checkField({ name: "total", format: "number", hasDefault: false }, "$1,200.50")).toEqual({ value: 1200.5 });
    expect(checkField({ name: "total", format: "number", hasDefault: false }, "lots")).toEqual({ problem: expect.stringMatching(/^"total" must be a number .* but the answer gave "lots"$/) });
  });

  it("refuses a record where a text is asked for", () => {
    expect(checkField({ name: "vendor", format: "text", hasDefault: false }, { name: "Acme" })).toHaveProperty("problem");
  });
});
