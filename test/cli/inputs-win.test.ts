import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

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
  folder = mkdtempSync(join(tmpdir(), "prose-inputs-win-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function prose(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { PROSE_HOME: join(folder, "workspace") }, { currentDirectory: folder });
  return { code, out, err };
}

describe("--input over a script's default", () => {
  it("wins in the run, in --json facts, and again when the run is resumed", async () => {
    const path = join(folder, "tax.prose");
    writeFileSync(path, 'the income tax rate is 22.5%\nsay "Rate: {the income tax rate}"\nsay "Approved by {the approver}"\n');
    const first = await prose("run", path, "--input", "income tax rate=30%", "--json");
    expect(first.code).toBe(3);
    const waiting = JSON.parse(first.out[0]) as { runId: string; output: string[]; facts: Record<string, unknown> };
    expect(waiting.output).toEqual(["Rate: 30%"]);
    expect(waiting.facts["income tax rate"]).toBe(0.3);
    const resumed = await prose("run", "--resume", waiting.runId, "--answer", "the approver=Ann", "--json");
    expect(resumed.code).toBe(0);
    const done = JSON.parse(resumed.out[0]) as { output: string[]; facts: Record<string, unknown> };
    expect(done.output).toEqual(["Rate: 30%", "Approved by Ann"]);
    expect(done.facts["income tax rate"]).toBe(0.3);
  });
});
