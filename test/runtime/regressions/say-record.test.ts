import { describe, expect, it } from "vitest";
import { lines, runSource } from "../../support/run-source.js";

describe("a record in `say` and in a text", () => {
  it("reads as its attributes, not as nothing", async () => {
    const result = await runSource(lines('the customer\'s name is "Ann"', "the customer's age is 41", "say the customer", 'say "Customer: {the customer}"'));
    expect(result.output).toEqual(["name: Ann, age: 41", "Customer: name: Ann, age: 41"]);
  });

  it("reads as its value when it has one", async () => {
    const result = await runSource(lines('the invoice is "INV-7"', 'the invoice\'s status is "paid"', "say the invoice", 'say "{the invoice} is {the invoice\'s status}"'));
    expect(result.output).toEqual(["INV-7", "INV-7 is paid"]);
  });
});
