import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { invoicePdf, twoPagePdf } from "../support/document-fixtures.js";

let folder: string;
const stdinWasTerminal = process.stdin.isTTY;

beforeAll(() => {
  // Headless: a question makes the run wait.
  Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true });
});
afterAll(() => {
  Object.defineProperty(process.stdin, "isTTY", { value: stdinWasTerminal, configurable: true });
});
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-document-resume-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function prose(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: () => undefined }, { PROSE_HOME: join(folder, "workspace") }, { currentDirectory: folder });
  return { code, out };
}

describe("a PDF's pages and text in a resumed run", () => {
  it("are read from the journal, as the first attempt saw them", async () => {
    writeFileSync(join(folder, "invoice.pdf"), twoPagePdf());
    const path = join(folder, "check.prose");
    writeFileSync(path, 'read the file "invoice.pdf"\nsay the file\'s pages\nsay "Approved by {the approver}"\nsay the file\'s pages\n');
    const first = await prose("run", path, "--json");
    const waiting = JSON.parse(first.out[0]) as { runId: string; output: string[] };
    expect(waiting.output).toEqual(["2"]);
    writeFileSync(join(folder, "invoice.pdf"), invoicePdf());
    const resumed = await prose("run", "--resume", waiting.runId, "--answer", "the approver=Ann", "--json");
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.out[0]) as { output: string[] }).output).toEqual(["2", "Approved by Ann", "2"]);
  });
});
