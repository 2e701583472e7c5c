import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listConfined } from "../../src/cli/confined-folders.js";
import { FilesPolicy } from "../../src/cli/files-policy.js";
import { FileRefused } from "../../src/platform/file-refused.js";

let folder: string;
let policy: FilesPolicy;
const root = () => join(folder, "root");

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-list-folder-"));
  mkdirSync(join(root(), "inbox", "old"), { recursive: true });
  mkdirSync(join(root(), "inbox", ".prose"));
  mkdirSync(join(folder, "elsewhere"));
  mkdirSync(join(folder, "allowed"));
  writeFileSync(join(root(), "inbox", "a.txt"), "aaa");
  writeFileSync(join(root(), "inbox", "b.pdf"), "bbbbb");
  writeFileSync(join(root(), "inbox", ".prose", "secrets.enc.json"), "{}");
  writeFileSync(join(root(), "kept.txt"), "kept");
  writeFileSync(join(folder, "elsewhere", "secret.txt"), "secret");
  writeFileSync(join(folder, "allowed", "rates.csv"), "rate\n1\n");
  symlinkSync(join(folder, "elsewhere", "secret.txt"), join(root(), "inbox", "leak.txt"));
  symlinkSync(join(folder, "elsewhere"), join(root(), "inbox", "outside-folder"));
  symlinkSync(join(root(), "kept.txt"), join(root(), "inbox", "kept-link.txt"));
  symlinkSync(join(folder, "nowhere.txt"), join(root(), "inbox", "dangling.txt"));
  execFileSync("mkfifo", [join(root(), "inbox", "pipe")]);
  policy = new FilesPolicy({ root: root(), rootOrigin: "the script's folder", allowRead: [join(folder, "allowed")], workspace: join(folder, "workspace"), environment: { HOME: folder } });
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const sorted = <T extends { name: string }>(entries: T[]) => [...entries].sort((a, b) => a.name.localeCompare(b.name));

describe("listing a folder through the files policy", () => {
  it("lists regular files with their sizes and folders, and a link only when it leads to a file inside the root", async () => {
    expect(sorted(await listConfined(policy, join(root(), "inbox")))).toEqual([
      { name: "a.txt", kind: "file", size: 3 },
      { name: "b.pdf", kind: "file", size: 5 },
      { name: "kept-link.txt", kind: "file", size: 4 },
      { name: "old", kind: "folder", size: 0 },
    ]);
  });

  it("lists an allowed folder too", async () => {
    expect(await listConfined(policy, join(folder, "allowed"))).toEqual([{ name: "rates.csv", kind: "file", size: 7 }]);
  });

  it("refuses a folder outside the roots, a link to one, the workspace and /proc, by the action `list`", async () => {
    const refusal = async (path: string) => {
      try {
        await listConfined(policy, path);
      } catch (problem) {
        if (problem instanceof FileRefused) return problem.messageFor(path);
        throw problem;
      }
      throw new Error(`${path} was listed`);
    };
    expect(await refusal(join(folder, "elsewhere"))).toBe(`I can't list "${join(folder, "elsewhere")}": it is outside the files root ${root()} (the script's folder) and the folders allowed (${join(folder, "allowed")}).`);
    expect(await refusal(join(root(), "inbox", "outside-folder"))).toContain(`(it leads to ${join(folder, "elsewhere")})`);
    expect(await refusal(join(root(), "inbox", ".prose"))).toContain("which scripts never reach");
    expect(await refusal("/proc/self")).toBe('I can\'t list "/proc/self": it is under /proc, which scripts never reach.');
  });

  it("tells a missing folder and a file apart", async () => {
    await expect(listConfined(policy, join(root(), "outbox"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(listConfined(policy, join(root(), "kept.txt"))).rejects.toMatchObject({ code: "ENOTDIR" });
  });
});
