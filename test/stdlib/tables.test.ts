import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run, runScript } from "../support/run-script.js";

const claims = [
  "Date,Employee,Category,Amount,Note",
  '2024-11-04,Ann,travel,$120.00,"Train to Leeds, return"',
  "2024-11-05,Bob,meals,45.50,",
  '2024-11-05,ann,travel,"$1,240.50","Flight, ""economy""\nbooked late"',
  "2024-11-07,Chen,office,$18.25,Paper",
].join("\n");

describe("read the table from the file", () => {
  it("reads quoted fields, embedded commas, quotes and line breaks, and types whole columns", async () => {
    const source = lines(
      'read the table from the file "claims.csv"',
      "say the number of the table",
      "say the third table's amount",
      "say the third table's note",
      "say the second table's amount",
      "say the sum of the amounts of the table",
      "say the first table's date",
    );
    expect(await output(source, { files: { "claims.csv": claims } })).toEqual(["4", "$1,240.50", 'Flight, "economy"\nbooked late', "$45.50", "$1,424.25", "2024-11-04"]);
  });

  it("keeps a column of plain numbers as numbers, and one of two currencies per cell", async () => {
    const source = lines('read the table from the file "t.csv"', "say the first table's n", "say the first table's price", "say the second table's price");
    expect(await output(source, { files: { "t.csv": "n,price\n1,$5\n2,€7" } })).toEqual(["1", "$5.00", "€7.00"]);
  });

  it("names the line of a malformed row", async () => {
    const found = await failure(lines('read the table from the file "bad.csv"'), { files: { "bad.csv": "a,b\n1,2\n3,4,5\n" } });
    expect(found.message).toBe('The file "bad.csv" is not a valid CSV table at line 3: this row has a different number of fields than the header.');
    expect(found.at).toBe("/scripts/main.prose:1:1");
  });

  it("refuses a file that is not CSV, TSV or JSON, in English", async () => {
    const found = await failure(lines('read the table from the file "notes.txt"'), { files: { "notes.txt": "a,b" } });
    expect(found.message).toBe('The file "notes.txt" is not a table: I read tables from .csv files (or .tsv, or .json holding a list of records), and this one is a .txt file.');
    expect((await failure(lines('read the table from the file "one.json"'), { files: { "one.json": '{"a": 1}' } })).message).toBe('The file "one.json" holds one record, not a table (a list of records).');
  });

  it("reads a JSON list of records and a .tsv file as tables", async () => {
    const source = lines('read the table from the file "t.json" as the tasks', "say the first task's due date", 'read the table from the file "t.tsv" as the people', "say the second person's name");
    expect(await output(source, { files: { "t.json": '[{"due_date": "2024-12-01"}]', "t.tsv": "name\tcity\nAnn\tLyon\nBob, Jr\tParis" } })).toEqual(["2024-12-01", "Bob, Jr"]);
  });
});

describe("write a table to a .csv file", () => {
  it("writes a header in first-seen order, the original column names, and plain numbers and dates", async () => {
    const source = lines('read the table from the file "claims.csv" as the claims', "the second claim's approved is yes", 'write the claims to the file "out.csv"');
    const outcome = await runScript(source, { files: { "claims.csv": claims } });
    expect(outcome.result?.status).toBe("done");
    expect(outcome.files.get("/scripts/out.csv")).toBe(
      [
        "Date,Employee,Category,Amount,Note,approved",
        '2024-11-04,Ann,travel,120.00,"Train to Leeds, return",',
        "2024-11-05,Bob,meals,45.50,,yes",
        '2024-11-05,ann,travel,1240.50,"Flight, ""economy""\nbooked late",',
        "2024-11-07,Chen,office,18.25,Paper,",
        "",
      ].join("\n"),
    );
  });

  it("reads back what it wrote as the same values", async () => {
    const source = lines('read the table from the file "claims.csv"', 'write the table to the file "out.csv"', 'read the table from the file "out.csv" as the copies', "say the sum of the amounts of the copies", "say the third copy's note");
    expect(await output(source, { files: { "claims.csv": claims } })).toEqual(["1424.25", 'Flight, "economy"\nbooked late']);
  });

  it("refuses a list that is not a table, naming the item", async () => {
    const found = await failure(lines('the names are "Ann" and "Bob"', 'write the names to the file "n.csv"'));
    expect(found.message).toBe('I can\'t write item 1 of the list to "n.csv" as a row: it is the text "Ann", not a record.');
  });

  it("still writes data as JSON to a .json file, with the keys it was read with", async () => {
    const source = lines('read the table from the file "claims.csv" as the claims', 'write the first claim to the file "one.json"');
    const outcome = await runScript(source, { files: { "claims.csv": claims } });
    expect(JSON.parse(String(outcome.files.get("/scripts/one.json")))).toEqual({ Date: "2024-11-04", Employee: "Ann", Category: "travel", Amount: 120, Note: "Train to Leeds, return" });
  });
});

describe("sort a list by an attribute", () => {
  const rows = lines('read the table from the file "claims.csv"');

  it("orders numbers by value, with or without `the`, descending on request, ties stable", async () => {
    expect(await output(lines(rows, "sort the table by amount", "say the employees of the table"), { files: { "claims.csv": claims } })).toEqual(["Chen, Bob, Ann and ann"]);
    expect(await output(lines(rows, "sort the table by the amount", '    the order is "descending"', "say the employees of the table"), { files: { "claims.csv": claims } })).toEqual(["ann, Ann, Bob and Chen"]);
    expect(await output(lines(rows, "sort the table by date", "say the employees of the table"), { files: { "claims.csv": claims } })).toEqual(["Ann, Bob, ann and Chen"]);
  });

  it("orders texts ignoring case, and puts items without the attribute last in either order", async () => {
    const source = lines(
      `the first person's name is "bob"`,
      `the second person's name is "Ann"`,
      `the third person's city is "Lyon"`,
      `the fourth person's name is "carl"`,
      "sort the people by name",
      "say the names of the people",
      "sort the people by name",
      '    the order is "descending"',
      "say the number of the people",
      "say the last person's city",
    );
    expect(await output(source)).toEqual(["Ann, bob, carl and nothing", "4", "Lyon"]);
  });

  it("refuses a name no item has, listing the ones they have", async () => {
    const found = await failure(lines(rows, "sort the table by amout"), { files: { "claims.csv": claims } });
    expect(found.message).toBe('I can\'t sort by "amout": no item of the list has it (its items have "date", "employee", "category", "amount", "note").');
  });

  it("does not read the attribute's name as a fact (no question for `amount`)", async () => {
    const result = await run(lines(rows, "sort the table by amount"), { files: { "claims.csv": claims } });
    expect(result.status).toBe("done");
  });
});

describe("a malformed CSV names its line in English", () => {
  it("says where a quote stands inside an unquoted field, and where an unclosed quote opened", async () => {
    expect((await failure(lines('read the table from the file "q.csv"'), { files: { "q.csv": 'a,b\n1,2\n3,5" screen\n' } })).message).toBe(
      'The file "q.csv" is not a valid CSV table at line 3: a quote stands inside a field that does not start with one (such a field goes in double quotes, its quote written twice).',
    );
    expect((await failure(lines('read the table from the file "open.csv"'), { files: { "open.csv": 'a,b\n1,"x""y\n2,3\n4,5\n' } })).message).toBe('The file "open.csv" is not a valid CSV table at line 2: a quoted field is never closed.');
  });
});
