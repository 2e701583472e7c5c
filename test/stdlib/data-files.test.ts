import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run, runScript } from "../support/run-script.js";

const customer = JSON.stringify({ name: "Ann Lee", Due_Date: "2024-12-01", address: { city: "Lyon" }, orders: [{ total: 12.5 }, { total: 30 }], vip: true, note: null });

describe("a .json file opens as its data", () => {
  it("is a record whose attributes are the object's keys, not a document", async () => {
    const source = lines('read the file "customer.json"', "say the file's name", "say the file's address's city", "say the file's due date", "say the sum of the file's orders' totals", "if the file's vip", '    say "VIP"');
    expect(await output(source, { files: { "customer.json": customer } })).toEqual(["Ann Lee", "Lyon", "2024-12-01", "42.5", "VIP"]);
  });

  it("is a list when the file holds an array, and `get the file` names it", async () => {
    const source = lines('get the file "data/totals.json" as the totals', "say the number of the totals", "say the sum of the totals");
    expect(await output(source, { files: { "data/totals.json": "[1, 2.5, 3]" } })).toEqual(["3", "6.5"]);
  });

  it("keeps `parse … as json` working on data already read", async () => {
    const source = lines('read the file "customer.json"', "parse the file as json as the customer", "say the customer's name");
    expect(await output(source, { files: { "customer.json": customer } })).toEqual(["Ann Lee"]);
  });

  it("shows in --json facts as the data it holds", async () => {
    const result = await run(lines('read the file "customer.json"'), { files: { "customer.json": '{"name": "Ann", "tags": ["a", "b"]}' } });
    expect(result.facts.file).toEqual({ name: "Ann", tags: ["a", "b"] });
  });

  it("reports a malformed file with its name and where it broke", async () => {
    expect(await failure(lines('read the file "broken.json"'), { files: { "broken.json": '{\n  "name": "Ann"\n  "age": 30\n}' } })).toEqual({
      message: 'The file "broken.json" is not valid JSON: at line 3, column 3, a comma was expected.',
      at: "/scripts/main.prose:1:1",
      fix: "fix: correct the file there (a JSON checker or editor shows the same place).",
    });
    expect((await failure(lines('read the file "x.json"'), { files: { "x.json": '{"a": x}' } })).message).toBe('The file "x.json" is not valid JSON: at line 1, column 7, a character that has no place in JSON.');
    expect((await failure(lines('read the file "empty.json"'), { files: { "empty.json": "  \n" } })).message).toBe('The file "empty.json" is empty, so it holds no JSON.');
  });

  it("refuses data nested deeper than values may be, in English (never a stack overflow)", async () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    const found = await failure(lines('read the file "deep.json"'), { files: { "deep.json": deep } });
    expect(found.message).toBe('I can\'t read the file "deep.json": This value holds lists and records nested more than 1,000 deep (or a record that holds itself); Prose cannot show, copy or compare it.');
    expect(found.at).toBe("/scripts/main.prose:1:1");
  });
});

const invoices = [
  "Invoice_ID,Vendor,Total,Due Date,Zip,Note",
  'INV-1,"Acme, Inc.",$1200.50,2024-11-05,02134,"said ""urgent"""',
  'INV-2,Globex,"1,000",2024-12-01,75001,',
  "INV-3,Initech,99,,10001,\"two",
  'lines"',
].join("\r\n");

describe("a .csv file opens as a table", () => {
  it("is a list of records, one attribute per column, with RFC 4180 quoting", async () => {
    const source = lines('read the file "invoices.csv" as the invoices', "say the number of the invoices", "say the first invoice's vendor", "say the first invoice's note", "say the third invoice's note", "say the invoices' invoice ids");
    expect(await output(source, { files: { "invoices.csv": invoices } })).toEqual(["3", "Acme, Inc.", 'said "urgent"', "two\r\nlines", "INV-1, INV-2 and INV-3"]);
  });

  it("reads a column as numbers or dates only when every filled cell does, and an empty cell as nothing", async () => {
    const result = await run(lines('read the file "invoices.csv" as the invoices', "say the sum of the invoices' totals", "say the first invoice's due date + 30", "say the third invoice's due date", "say the first invoice's zip"), { files: { "invoices.csv": invoices } });
    expect(result.output).toEqual(["$2,299.50", "2024-12-05", "nothing", "02134"]);
    expect((result.facts.invoices as Array<Record<string, unknown>>)[1]).toEqual({ "invoice id": "INV-2", vendor: "Globex", total: 1000, "due date": "2024-12-01", zip: "75001", note: null });
  });

  it("gives an empty list for a file with only a header", async () => {
    expect(await output(lines('read the file "t.csv" as the rows', "say the number of the rows"), { files: { "t.csv": "a,b\n" } })).toEqual(["0"]);
  });

  it("reports a malformed file with its name and line", async () => {
    expect(await failure(lines('read the file "t.csv"'), { files: { "t.csv": "a,b\n1,2\n3,4,5\n" } })).toEqual({
      message: 'The file "t.csv" is not a valid CSV table at line 3: this row has a different number of fields than the header.',
      at: "/scripts/main.prose:1:1",
      fix: 'fix: correct the file there; a field holding a comma, a quote or a line break goes in double quotes, with "" for a quote.',
    });
    expect((await failure(lines('read the file "t.csv"'), { files: { "t.csv": 'a,b\n1,"2\n' } })).message).toBe('The file "t.csv" is not a valid CSV table at line 2: a quoted field is never closed.');
    expect((await failure(lines('read the file "t.csv"'), { files: { "t.csv": "Total,total\n1,2\n" } })).message).toBe('The file "t.csv" has a header I can\'t use: columns 1 and 2 are both called "total".');
  });
});

describe("write {data} to the file {path}", () => {
  it("writes a record or a table as its JSON text, its keys as the header spelt them, which reads back as the same data", async () => {
    const source = lines('read the file "t.csv" as the table', 'write the table to the file "t.json"', 'read the file "t.json" as the copy', "say the copy's names", "say the sum of the copy's hours");
    const outcome = await runScript(source, { files: { "t.csv": "Name,Hours\nAnn,3\nBob,4.5\n" } });
    expect(outcome.result?.output).toEqual(["Ann and Bob", "7.5"]);
    expect(JSON.parse(outcome.files.get("/scripts/t.json") as string)).toEqual([{ Name: "Ann", Hours: 3 }, { Name: "Bob", Hours: 4.5 }]);
  });
});
