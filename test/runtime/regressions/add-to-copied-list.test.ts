import { describe, expect, it } from "vitest";
import { lines, runSource } from "../../support/run-source.js";

describe("add … to a list", () => {
  it("changes only the list it names, not a copy made before", async () => {
    const result = await runSource(lines('the names are "a", "b"', "the copy is the names", 'add "c" to the copy', "say the names", "say the copy"));
    expect(result.output).toEqual(["a and b", "a, b and c"]);
  });

  it("still appends to the named list, also through a possessive", async () => {
    const result = await runSource(lines('the order\'s tags are "new"', 'add "paid" to the order\'s tags', "say the order's tags"));
    expect(result.output).toEqual(["new and paid"]);
  });
});
