import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, runScript } from "../support/run-script.js";

describe("read the file {path} / get the file {path}", () => {
  it("opens a text file relative to the script's folder as a document", async () => {
    const source = lines('read the file "data/notes.txt"', "say the file", "say the file's text", "say the file's extension", "say the file's size", "if the file contains \"hello\"", '    say "found"');
    expect(await output(source, { files: { "data/notes.txt": "\ufeffhello there" } })).toEqual(["notes.txt", "hello there", "txt", "14", "found"]);
  });

  it("`get the file` does the same, with a result name", async () => {
    expect(await output(lines('get the file "a.md" as the readme', "say the readme's text"), { files: { "a.md": "# Title" } })).toEqual(["# Title"]);
  });

  it("gives a binary file no text", async () => {
    expect(await output(lines('read the file "logo.png"', "say the file's size", "say the file's text"), { files: { "logo.png": new Uint8Array([137, 80, 78, 71]) } })).toEqual(["4", "nothing"]);
  });

  it("reports a file that does not exist, with file:line:col and a fix", async () => {
    expect(await failure(lines('say "start"', 'read the file "missing.txt"'))).toEqual({
      message: 'The file "missing.txt" doesn\'t exist (looked for /scripts/missing.txt).',
      at: "/scripts/main.prose:2:1",
      fix: "fix: check the name; a relative path starts at the script's folder.",
    });
  });

  it("reports a folder, in English", async () => {
    expect((await failure(lines('read the file "data"'), { folders: ["data"] })).message).toBe('"data" is a folder, not a file.');
  });
});

describe("write {text} to the file {path}", () => {
  it("writes a text to a file that can then be read", async () => {
    const outcome = await runScript(lines('write "total: {1 + 1}" to the file "out.txt"', 'read the file "out.txt"', "say the file's text"));
    expect(outcome.result?.output).toEqual(["total: 2"]);
    expect(outcome.files.get("/scripts/out.txt")).toBe("total: 2");
  });

  it("reports a folder that does not exist, in English", async () => {
    expect(await failure(lines('write "x" to the file "out/a.txt"'))).toEqual({
      message: 'I can\'t write "out/a.txt": its folder doesn\'t exist.',
      at: "/scripts/main.prose:1:1",
      fix: "fix: create the folder first, or write to an existing one.",
    });
  });
});
