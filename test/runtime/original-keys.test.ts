import { describe, expect, it } from "vitest";
import { factToJson } from "../../src/runtime/display.js";
import { jsonToFact } from "../../src/runtime/json-to-fact.js";
import { tableToFact } from "../../src/runtime/table-to-fact.js";
import { Fact, text } from "../../src/runtime/values.js";
import { runScript } from "../support/run-script.js";

describe("the keys data was read with", () => {
  it("are written back with `original`, and the script's names shown otherwise", () => {
    const data = jsonToFact({ Due_Date: "2026-01-31", owner: { first_name: "Ann" } });
    expect(data.attribute("due date")?.value).toEqual(text("2026-01-31"));
    expect(factToJson(data, "original")).toEqual({ Due_Date: "2026-01-31", owner: { first_name: "Ann" } });
    expect(factToJson(data)).toEqual({ "due date": "2026-01-31", owner: { "first name": "Ann" } });
  });

  it("survive a copy and a changed value; a new attribute is written as named", () => {
    const data = jsonToFact({ due_date: "2026-01-31" });
    data.setAttribute("due date", new Fact(text("2026-02-28")));
    data.setAttribute("priority level", new Fact(text("high")));
    expect(factToJson(data.copy(), "original")).toEqual({ due_date: "2026-02-28", "priority level": "high" });
  });

  it("come from a CSV header too, and an empty object stays a record", () => {
    const table = tableToFact([["Claim_ID", "Amount"], ["C-1", "$5"]]);
    expect(factToJson(table, "original")).toEqual([{ Claim_ID: "C-1", Amount: 5 }]);
    expect(factToJson(jsonToFact({}))).toEqual({});
    expect(factToJson(new Fact())).toBeNull();
  });
});

describe("a record given a value of its own", () => {
  it("keeps the keys of the attributes it keeps", async () => {
    const outcome = await runScript('read the json from the file "t.json" as the task\nthe task is "renewal"\nwrite the task to the file "out.json"\n', { files: { "t.json": '{"due_date": "2026-01-31"}' } });
    expect(JSON.parse(String(outcome.files.get("/scripts/out.json")))).toEqual({ value: "renewal", due_date: "2026-01-31" });
  });
});
