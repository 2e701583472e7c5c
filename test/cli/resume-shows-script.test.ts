import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

/** A resumed run names its script as the first run did: from the current folder, not by its absolute path. */

let folder: string;
let previousFolder: string;
const stdinWasTerminal = process.stdin.isTTY;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-resume-shows-"));
  previousFolder = process.cwd();
  process.chdir(folder);
  Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true });
});
afterEach(() => {
  process.chdir(previousFolder);
  Object.defineProperty(process.stdin, "isTTY", { value: stdinWasTerminal, configurable: true });
  rmSync(folder, { recursive: true, force: true });
});

async function prose(...argv: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await main(argv, { out: () => {}, err: (line) => err.push(line) }, { PROSE_HOME: join(folder, "workspace") });
  return { code, err };
}

describe("a resumed run's questions", () => {
  it("show where they are asked as the first run did (order.prose:4:5)", async () => {
    writeFileSync(join(folder, "order.prose"), 'get the vendor\'s email\nthe quantity is 0\nvalidate the following\n    ensure the quantity is at least 1\nsay "{the quantity}"\n');
    const first = await prose("run", "order.prose", "--answer", "the vendor's email=a@b.c");
    expect(first.code).toBe(3);
    expect(first.err.join("\n")).toContain("[order.prose:4:5]");
    const runId = first.err.join("\n").match(/run-\d{8}T\d{6}-[a-z0-9]{6}/)![0];
    const resumed = await prose("run", "--resume", runId, "--answer", "the quantity=0");
    expect(resumed.code).toBe(3);
    expect(resumed.err.join("\n")).toContain("[order.prose:4:5]");
  });
});
