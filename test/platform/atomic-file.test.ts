import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { processOfTemporaryFile, temporaryPathFor, writeFileAtomically, writeFileAtomicallySync } from "../../src/platform/atomic-file.js";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-atomic-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

const writers = [
  { name: "writeFileAtomically", write: writeFileAtomically },
  { name: "writeFileAtomicallySync", write: async (...args: Parameters<typeof writeFileAtomicallySync>) => writeFileAtomicallySync(...args) },
];

for (const { name, write } of writers) {
  describe(name, () => {
    it("creates a file with the mode given, then replaces its contents whole, leaving no temporary file", async () => {
      const file = join(folder, "secrets.enc.json");
      await write(file, "first\n", { mode: 0o600 });
      expect(readFileSync(file, "utf8")).toBe("first\n");
      expect(modeOf(file)).toBe(0o600);
      await write(file, "second\n", { mode: 0o600 });
      expect(readFileSync(file, "utf8")).toBe("second\n");
      expect(readdirSync(folder)).toEqual(["secrets.enc.json"]);
    });

    it("with exactMode, gives the mode whatever the umask (a replaced file keeps its own)", async () => {
      const file = join(folder, "report.txt");
      await write(file, "x", { mode: 0o664, exactMode: true });
      expect(modeOf(file)).toBe(0o664);
      await write(file, "y", { mode: 0o640, exactMode: true });
      expect(modeOf(file)).toBe(0o640);
    });

    it("replaces a link at the target, never writing through it", async () => {
      const victim = join(folder, "victim.txt");
      writeFileSync(victim, "untouched");
      const file = join(folder, "out.txt");
      symlinkSync(victim, file);
      await write(file, "written", { mode: 0o644 });
      expect(lstatSync(file).isSymbolicLink()).toBe(false);
      expect(readFileSync(file, "utf8")).toBe("written");
      expect(readFileSync(victim, "utf8")).toBe("untouched");
    });

    it("removes its temporary file when the rename fails, and fails with the system's error", async () => {
      const target = join(folder, "taken");
      mkdirSync(join(target, "inside"), { recursive: true });
      await expect(write(target, "text", { mode: 0o644 })).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) });
      expect(readdirSync(folder)).toEqual(["taken"]);
    });
  });
}

describe("temporary file names", () => {
  it("are hidden, beside the file, unpredictable, and name their process, as the workspace tidy-up reads them", () => {
    const file = join(folder, "agent.json");
    const first = temporaryPathFor(file);
    expect(first.startsWith(join(folder, ".agent.json."))).toBe(true);
    expect(first).not.toBe(temporaryPathFor(file));
    expect(basename(first)).toMatch(/^\.agent\.json\.\d+\.[0-9a-f]{24}\.tmp$/);
    expect(processOfTemporaryFile(basename(first))).toBe(process.pid);
    // The names earlier versions wrote, and the workspace lock's.
    expect(processOfTemporaryFile("secrets.enc.json.4242.0a1b2c3d4e5f.tmp")).toBe(4242);
    expect(processOfTemporaryFile(".workspace.lock.77.0a1b2c.tmp")).toBe(77);
    expect(processOfTemporaryFile("notes.tmp")).toBeUndefined();
    expect(processOfTemporaryFile("agent.json")).toBeUndefined();
  });
});
