import { describe, expect, it } from "vitest";
import { failure } from "../support/expectations.js";
import { lines, output, runScript } from "../support/run-script.js";
import { compileSource } from "../../src/session/compile-script.js";
import { runCompiled } from "../../src/session/run-script.js";
import { MemoryJournal } from "../../src/runtime/journal.js";
import { AnswerBook } from "../../src/runtime/questions.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import type { FolderEntry } from "../../src/runtime/folders-and-runs.js";

const inbox = {
  "inbox/invoice-10.txt": "ten",
  "inbox/invoice-2.txt": "two",
  "inbox/Scan.PDF": new Uint8Array([37, 80, 68, 70]),
  "inbox/notes.md": "# notes",
  "inbox/.hidden.txt": "hidden",
  "inbox/old/invoice-1.txt": "one",
  "elsewhere.txt": "not in the folder",
};

describe("get the files in the folder", () => {
  it("lists the folder's own files as documents, sorted by name (numbers by value), leaving out subfolders and dot files", async () => {
    const source = lines('get the files in the folder "inbox"', "for each file in the files", "    say \"{the file's file name} {the file's size}\"");
    expect(await output(source, { files: inbox })).toEqual(["invoice-2.txt 3", "invoice-10.txt 3", "notes.md 7", "Scan.PDF 4"]);
  });

  it("keeps the files whose name matches the pattern, ignoring case", async () => {
    const pdfs = lines('get the files in the folder "inbox"', '    the pattern is "*.pdf"', "say the number of the files", "say the first file's file name", "say the first file's extension");
    expect(await output(pdfs, { files: inbox })).toEqual(["1", "Scan.PDF", "pdf"]);
    const invoices = lines('get the files in the folder "inbox"', '    the pattern is "invoice-?.txt"', "process each file in the files", "    say the file's text");
    expect(await output(invoices, { files: inbox })).toEqual(["two"]);
    const dotted = lines('get the files in the folder "inbox"', '    the pattern is ".*"', "say the first file's file name");
    expect(await output(dotted, { files: inbox })).toEqual([".hidden.txt"]);
    const set = lines('get the files in the folder "inbox"', '    the pattern is "[!s]*"', "say the number of the files");
    expect(await output(set, { files: inbox })).toEqual(["3"]);
  });

  it("gives text files their text and a subfolder its own listing", async () => {
    const source = lines('get the files in the folder "inbox/old" as the old files', "say the first old file's text", "say the number of the old files");
    expect(await output(source, { files: inbox })).toEqual(["one", "1"]);
  });

  it("gives an empty list for a folder with no match", async () => {
    const source = lines('get the files in the folder "inbox"', '    the pattern is "*.xlsx"', "say the number of the files");
    expect(await output(source, { files: inbox })).toEqual(["0"]);
  });

  it("names a folder that does not exist, and a file given as a folder", async () => {
    expect(await failure(lines('get the files in the folder "outbox"'), { files: inbox })).toEqual({
      message: 'The folder "outbox" doesn\'t exist (looked for /scripts/outbox).',
      at: "/scripts/main.prose:1:1",
      fix: "fix: check the name; a relative path starts at the script's folder.",
    });
    expect((await failure(lines('get the files in the folder "elsewhere.txt"'), { files: inbox })).message).toBe('"elsewhere.txt" is a file, not a folder.');
  });

  it("refuses a pattern that names subfolders, and an unclosed one", async () => {
    const deep = await failure(lines('get the files in the folder "inbox"', '    the pattern is "**/*.txt"'), { files: inbox });
    expect(deep.message).toBe('The pattern "**/*.txt" names subfolders, but only the folder\'s own files are listed.');
    expect((await failure(lines('get the files in the folder "inbox"', '    the pattern is "[abc"'), { files: inbox })).message).toBe('The pattern "[abc" opens a [ it never closes.');
  });

  it("is a check error with another block line", async () => {
    const outcome = await runScript(lines('get the files in the folder "inbox"', '    the filter is "*.pdf"'), { files: inbox });
    expect(outcome.formatted.join("\n")).toContain('doesn\'t take a line about "the filter"');
  });
});

describe("a listing is journaled", () => {
  const source = lines('get the files in the folder "/data/inbox"', "for each file in the files", "    say the file's file name");

  async function runWith(journal: MemoryJournal, entries: FolderEntry[]): Promise<{ said: string[]; listed: number }> {
    const program = compileSource(source, "/scripts/main.prose", { loadSource: () => undefined });
    const said: string[] = [];
    let listed = 0;
    const host: Omit<RunContext, "models"> = {
      say: (line) => said.push(line),
      warn: () => undefined,
      now: () => new Date("2026-11-23T10:00:00Z"),
      sleep: async () => undefined,
      readFile: async () => new Uint8Array(),
      writeFile: async () => undefined,
      listFolder: async (path) => {
        expect(path).toBe("/data/inbox");
        listed += 1;
        return entries;
      },
    };
    const { result } = await runCompiled(program, { host, answers: new AnswerBook(), inputs: [], journal });
    expect(result.status).toBe("done");
    return { said, listed };
  }

  it("so that a resumed run sees the same files, even when the folder changed", async () => {
    const journal = new MemoryJournal();
    const first = await runWith(journal, [{ name: "b.pdf", kind: "file", size: 3 }, { name: "a.pdf", kind: "file", size: 2 }]);
    expect(first).toEqual({ said: ["a.pdf", "b.pdf"], listed: 1 });
    expect(journal.records.filter((record) => record.kind === "list")).toHaveLength(1);
    const again = await runWith(new MemoryJournal(journal.records), [{ name: "c.pdf", kind: "file", size: 1 }]);
    expect(again).toEqual({ said: ["a.pdf", "b.pdf"], listed: 0 });
  });
});
