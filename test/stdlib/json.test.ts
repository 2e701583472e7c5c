import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, run, runScript } from "../support/run-script.js";

const task = '{"Title": "Renew lease", "due_date": "2026-01-31", "owner": {"first_name": "Ann"}, "tags": ["office"], "extra": {}}';

describe("get {text} as a json", () => {
  it("reads a JSON text: keys read as names, objects as records, arrays as lists", async () => {
    const source = lines(`the payload is ${JSON.stringify(task).replace(/\{/g, "{{").replace(/\}/g, "}}")}`, "get the payload as a json", "say the json's due date", "say the json's owner's first name", "say the json's title", "say the number of the json's tags");
    expect(await output(source)).toEqual(["2026-01-31", "Ann", "Renew lease", "1"]);
  });

  it("names where a text is not JSON", async () => {
    const found = await failure(lines('the payload is "{{\\"a\\": 1,}}"', "get the payload as a json"));
    expect(found.message).toBe("This text is not valid JSON: at line 1, column 9, a name in double quotes was expected.");
    expect(found.fix).toBe("fix: correct the text there (a JSON checker or editor shows the same place).");
  });
});

describe("JSON keys keep their spelling for output", () => {
  it("writes back the keys a file was read with, and new attributes as they are named", async () => {
    const source = lines('read the json from the file "task.json"', 'the json\'s due date is "2026-02-28"', 'the json\'s owner\'s last name is "Lee"', 'the json\'s done is no', 'write the json to the file "out.json"');
    const outcome = await runScript(source, { files: { "task.json": task } });
    expect(outcome.result?.status).toBe("done");
    expect(JSON.parse(String(outcome.files.get("/scripts/out.json")))).toEqual({ Title: "Renew lease", due_date: "2026-02-28", owner: { first_name: "Ann", "last name": "Lee" }, tags: ["office"], extra: {}, done: false });
  });

  it("gives a record's JSON text with `get … as a string` or `as text`, leaving --json facts named as the script names them", async () => {
    const source = lines('read the json from the file "task.json"', "get the json's owner as a string as the owner text", "say the owner text", "get the json as text as the whole", "say the whole");
    const result = await run(source, { files: { "task.json": task } });
    expect(result.output).toEqual(['{"first_name":"Ann"}', '{"Title":"Renew lease","due_date":"2026-01-31","owner":{"first_name":"Ann"},"tags":["office"],"extra":{}}']);
    expect((result.facts.json as Record<string, unknown>)["due date"]).toBe("2026-01-31");
  });

  it("gives a plain value as its text, and asks for an unknown one as before", async () => {
    expect(await output(lines("the total is $5", "get the total as a string", "say the total"))).toEqual(["$5.00"]);
    const waiting = await run(lines("get the reference as a string", "say the reference"));
    expect(waiting.status).toBe("waiting");
    expect(waiting.questions[0].text).toBe("What is the reference? (a text)");
  });

  it("keeps the keys through a copy (`get … as a json` of data, a record added to a list)", async () => {
    const source = lines('read the json from the file "task.json"', "get the json as a json as the copy", "the tasks are nothing", "add the copy to the tasks", 'write the tasks to the file "tasks.json"');
    const outcome = await runScript(source, { files: { "task.json": task } });
    expect(JSON.parse(String(outcome.files.get("/scripts/tasks.json")))[0].due_date).toBe("2026-01-31");
  });
});

describe("create an empty json", () => {
  it("is an empty record, written as {} and filled attribute by attribute", async () => {
    const source = lines("create an empty json", 'write the json to the file "empty.json"', "get the json as a string as the empty text", "say the empty text", 'the json\'s customer name is "Ann"', 'write the json to the file "one.json"');
    const outcome = await runScript(source);
    expect(outcome.said).toEqual(["{}"]);
    expect(outcome.files.get("/scripts/empty.json")).toBe("{}");
    expect(JSON.parse(String(outcome.files.get("/scripts/one.json")))).toEqual({ "customer name": "Ann" });
  });
});

describe("read the json from the file", () => {
  it("reads a file's text as JSON whatever its extension, and names where it broke", async () => {
    expect(await output(lines('read the json from the file "data.txt"', "say the sum of the json"), { files: { "data.txt": "[1, 2]" } })).toEqual(["3"]);
    expect((await failure(lines('read the json from the file "x.json"'), { files: { "x.json": '{"a": x}' } })).message).toBe('The file "x.json" is not valid JSON: at line 1, column 7, a character that has no place in JSON.');
    expect((await failure(lines('read the json from the file "scan.pdf"'), { files: { "scan.pdf": new Uint8Array([37, 80, 68, 70]) } })).message).toBe('The file "scan.pdf" is not a text file (it is a .pdf file), so it holds no JSON.');
  });
});
