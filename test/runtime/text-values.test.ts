import { describe, expect, it } from "vitest";
import { lines, output, run } from "../support/run-script.js";

describe("texts with braces and single quotes, run", () => {
  it("parses JSON written in single quotes", async () => {
    const source = lines(`the payload is '{"name": "John", "age": 30}'`, "parse the payload as json", "say the json's name", "say the json's age + 1", "say the payload");
    expect(await output(source)).toEqual(["John", "31", '{"name": "John", "age": 30}']);
  });

  it("shows literal braces in double quotes, next to values", async () => {
    const source = lines("the code is 38", 'say "{\\"code\\": 38}"', 'say "{\\"code\\": {the code}, \\"ok\\": {}}"', "say \"{{the code}} is {the code}\"");
    expect(await output(source)).toEqual(['{"code": 38}', '{"code": 38, "ok": {}}', "{the code} is 38"]);
  });

  it("keeps possessives next to single-quoted texts", async () => {
    const source = lines('the invoice\'s total is 12', 'the invoices are nothing', "add the invoice to the invoices", "say 'Total: ' + the invoice's total", "say the sum of the invoices' totals");
    expect(await output(source)).toEqual(["Total: 12", "12"]);
  });

  it("keeps a {…} in single quotes as written", async () => {
    const result = await run(lines("the name is 'Hello {the name}'", "say the name"));
    expect(result.output).toEqual(["Hello {the name}"]);
  });
});
