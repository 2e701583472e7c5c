import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { displayFact } from "../../src/runtime/display.js";
import { readReference } from "../../src/runtime/references.js";
import { inputReference } from "../../src/runtime/run-program.js";
import { Scope } from "../../src/runtime/scope.js";
import { parseRunInputs } from "../../src/session/run-inputs.js";
import { SessionError } from "../../src/session/session-error.js";

function filesOf(contents: Record<string, string>) {
  return {
    readFile: async (path: string) => {
      const found = contents[path];
      if (found === undefined) throw Object.assign(new Error("missing"), { code: "ENOENT" });
      return new TextEncoder().encode(found);
    },
  };
}

function read(scope: Scope, name: string): string {
  return displayFact(readReference(inputReference(name, "/x.prose"), scope));
}

describe("--input name=@file", () => {
  it("gives a .json file as its data: the json's name is the object's name, not the file's", async () => {
    const files = filesOf({ [resolve("data.json")]: '{"name": "Ann Lee", "Account_Number": 42, "items": [1, 2]}' });
    const [input] = await parseRunInputs(["the json=@data.json"], files);
    const scope = new Scope();
    scope.set("json", input.value);
    expect(read(scope, "the json's name")).toBe("Ann Lee");
    expect(read(scope, "the json's account number")).toBe("42");
    expect(read(scope, "the json's items")).toBe("1 and 2");
  });

  it("gives a .csv file as a table, and any other file as a document", async () => {
    const files = filesOf({ [resolve("t.csv")]: "name,hours\nAnn,3\nBob,4.5\n", [resolve("notes.txt")]: "hello" });
    const [table, notes] = await parseRunInputs(["timesheet=@t.csv", "notes=@notes.txt"], files);
    expect(table.value.value.kind).toBe("list");
    expect(displayFact(table.value)).toBe("name: Ann, hours: 3 and name: Bob, hours: 4.5");
    expect(notes.value.value).toMatchObject({ kind: "document", text: "hello" });
  });

  it("refuses a malformed file with an English error naming the input", async () => {
    const files = filesOf({ [resolve("bad.json")]: "[1, 2" });
    const refused = parseRunInputs(["data=@bad.json"], files);
    await expect(refused).rejects.toBeInstanceOf(SessionError);
    await expect(refused).rejects.toThrow('--input data: The file "' + resolve("bad.json") + '" is not valid JSON: at line 1, column 6, a closing ] was expected.');
    const deep = filesOf({ [resolve("deep.json")]: "[".repeat(100_000) + "]".repeat(100_000) });
    await expect(parseRunInputs(["data=@deep.json"], deep)).rejects.toThrow(/^--input data: I can't read the file ".*deep.json": This value holds lists and records nested more than 1,000 deep/);
  });
});
