import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSourceConfined } from "../../src/cli/confined-files.js";
import { FilesPolicy } from "../../src/cli/files-policy.js";

let folder: string;
let policy: FilesPolicy;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-read-source-"));
  mkdirSync(join(folder, "root", "lib"), { recursive: true });
  mkdirSync(join(folder, "elsewhere"));
  mkdirSync(join(folder, "root", ".prose"));
  writeFileSync(join(folder, "root", "main.prose"), 'say "hi"\n');
  writeFileSync(join(folder, "elsewhere", "other.prose"), 'say "there"\n');
  writeFileSync(join(folder, "root", ".prose", "agent.prose"), "secret\n");
  policy = new FilesPolicy({ root: join(folder, "root"), rootOrigin: "the script's folder", workspace: join(folder, "root", ".prose"), environment: { HOME: folder } });
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe("reading a Prose source through the files policy (the one read of scripts and learned files)", () => {
  it("tells text, a missing file and a folder apart", () => {
    expect(readSourceConfined(policy, join(folder, "root", "main.prose"))).toEqual({ kind: "text", text: 'say "hi"\n' });
    expect(readSourceConfined(policy, join(folder, "root", "none.prose"))).toEqual({ kind: "missing" });
    expect(readSourceConfined(policy, join(folder, "root", "lib"))).toEqual({ kind: "folder" });
  });

  it("keeps learned files inside the files root, but takes a script named on the command line from anywhere", () => {
    const outside = join(folder, "elsewhere", "other.prose");
    expect(readSourceConfined(policy, outside)).toMatchObject({ kind: "refused", reason: expect.stringContaining("outside the files root") });
    expect(readSourceConfined(policy, outside, "anywhere")).toEqual({ kind: "text", text: 'say "there"\n' });
  });

  it("never reads the workspace, even for a script named on the command line", () => {
    const inWorkspace = join(folder, "root", ".prose", "agent.prose");
    expect(readSourceConfined(policy, inWorkspace, "anywhere")).toMatchObject({ kind: "refused", reason: expect.stringContaining("Prose workspace") });
    expect(readSourceConfined(policy, inWorkspace)).toMatchObject({ kind: "refused" });
  });
});
