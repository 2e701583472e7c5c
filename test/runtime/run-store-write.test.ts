import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newRunRecord, readRunRecord, runFolder, writeRunRecord } from "../../src/runtime/run-store.js";

let workspace: string;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), "prose-run-store-"));
});
afterEach(() => {
  rmSync(workspace, { recursive: true, force: true });
});

const id = "run-20261123T100000-abc123";

describe("run.json", () => {
  it("is replaced whole, mode 0600, with no temporary file left beside it", () => {
    const record = newRunRecord(id, "/scripts/a.prose", { inputs: [], concurrency: 1 }, new Date("2026-11-23T10:00:00Z"));
    writeRunRecord(workspace, record);
    writeRunRecord(workspace, { ...record, status: "done", output: ["ok"] });
    expect(readRunRecord(workspace, id)).toMatchObject({ status: "done", output: ["ok"] });
    expect(readdirSync(runFolder(workspace, id))).toEqual(["run.json"]);
    expect(statSync(join(runFolder(workspace, id), "run.json")).mode & 0o777).toBe(0o600);
  });

  it("is never written through a link planted where a temporary file of this process could be", () => {
    // The old code wrote `run.json.<pid>.tmp` (opened with "w", following links) then renamed it.
    const folder = runFolder(workspace, id);
    mkdirSync(folder, { recursive: true });
    const victim = join(workspace, "victim.txt");
    writeFileSync(victim, "untouched");
    symlinkSync(victim, join(folder, `run.json.${process.pid}.tmp`));
    writeRunRecord(workspace, newRunRecord(id, "/scripts/a.prose", { inputs: [], concurrency: 1 }, new Date("2026-11-23T10:00:00Z")));
    expect(readFileSync(victim, "utf8")).toBe("untouched");
    expect(readRunRecord(workspace, id)).toMatchObject({ id, status: "running" });
  });
});
