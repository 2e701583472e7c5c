import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfinementHarness, jsonOf } from "../support/confinement-harness.js";

/**
 * Issue 11: a script reads, writes and learns inside its files root (its folder, or --files)
 * and the folders allowed with --allow-read / --allow-write; a path that leaves them — `..`, an
 * absolute path, a link pointing out — is an English error naming the path as written, the root
 * and the flag that would allow it, and never the file's contents. Finding 4: writes go through
 * an exclusive temporary file of unpredictable name and never follow a planted link.
 */
let harness: ConfinementHarness;
let secretOutside: string;
const marker = "contents-that-must-never-be-printed-91c3";

beforeEach(() => {
  harness = new ConfinementHarness();
  secretOutside = harness.file(join(harness.outside, "private.txt"), `${marker}\n`);
});
afterEach(() => harness.dispose());

async function failure(script: string, ...args: string[]): Promise<{ message: string; fix?: string; at: string | null }> {
  const outcome = await harness.run(script, "--json", ...args);
  expect(outcome.code, outcome.err.join("\n")).toBe(1);
  expect([...outcome.out, ...outcome.err].join("\n")).not.toContain(marker);
  return jsonOf(outcome).error!;
}

describe("reading inside the files root", () => {
  it("`..` out of the script's folder is refused, naming the path as written, the root and --allow-read", async () => {
    const script = harness.file("read.prose", `read the file "../outside/private.txt"\nsay the file\n`);
    const error = await failure(script);
    expect(error.message).toBe(`I can't read "../outside/private.txt": it is outside the files root ${harness.project} (the script's folder).`);
    expect(error.fix).toBe(`keep the file under ${harness.project}, or run with --allow-read ${harness.outside} to let the script read that folder.`);
    expect(error.at).toBe(`${script}:1:1`);
  });

  it("an absolute path elsewhere is refused", async () => {
    const error = await failure(harness.file("read.prose", `get the file "${secretOutside}"\nsay the file\n`));
    expect(error.message).toBe(`I can't read "${secretOutside}": it is outside the files root ${harness.project} (the script's folder).`);
  });

  it("a link inside the root that points out is refused, saying where it leads", async () => {
    symlinkSync(secretOutside, join(harness.project, "innocent.txt"));
    mkdirSync(join(harness.project, "data"));
    symlinkSync(harness.outside, join(harness.project, "data", "shared"));
    const byFile = await failure(harness.file("read.prose", `read the file "innocent.txt"\nsay the file\n`));
    expect(byFile.message).toBe(`I can't read "innocent.txt": it is outside the files root ${harness.project} (the script's folder) (it leads to ${secretOutside}).`);
    const byFolder = await failure(harness.file("read.prose", `read the file "data/shared/private.txt"\nsay the file\n`));
    expect(byFolder.message).toContain(`it leads to ${secretOutside}`);
  });

  it("files inside the root, and links that stay inside it, are read as before", async () => {
    harness.file("data/notes.txt", "hello from the root\n");
    symlinkSync(join(harness.project, "data", "notes.txt"), join(harness.project, "notes-link.txt"));
    const outcome = await harness.run(harness.file("read.prose", `read the file "data/notes.txt" as the a\nread the file "notes-link.txt" as the b\nsay the a's text\nsay the b's text\n`));
    expect(outcome).toMatchObject({ code: 0, out: ["hello from the root\n", "hello from the root\n"] });
  });

  it("--files changes the root, --allow-read adds a folder to read, --allow-write one to write and read", async () => {
    const script = harness.file("read.prose", `read the file "../outside/private.txt"\nsay the file's text\n`);
    expect((await harness.run(script, "--files", harness.folder)).out).toEqual([`${marker}\n`]);
    expect((await harness.run(script, "--allow-read", harness.outside)).out).toEqual([`${marker}\n`]);
    expect((await harness.run(script, "--allow-write", harness.outside)).out).toEqual([`${marker}\n`]);
    // The script's folder is no longer a root under --files elsewhere.
    harness.file("local.txt", "local\n");
    const moved = await failure(harness.file("local.prose", `read the file "local.txt"\n`), "--files", harness.outside);
    expect(moved.message).toBe(`I can't read "local.txt": it is outside the files root ${harness.outside} (--files).`);
  });

  it("--allow-read lets the script read a folder, not write it", async () => {
    const script = harness.file("write.prose", `write "changed" to the file "../outside/private.txt"\n`);
    const error = await failure(script, "--allow-read", harness.outside);
    expect(error.message).toBe(`I can't write "../outside/private.txt": it is outside the files root ${harness.project} (the script's folder).`);
    expect(error.fix).toBe(`write under ${harness.project}, or run with --allow-write ${harness.outside} to let the script write in that folder.`);
    expect(readFileSync(secretOutside, "utf8")).toBe(`${marker}\n`);
    expect((await harness.run(script, "--allow-write", harness.outside)).code).toBe(0);
    expect(readFileSync(secretOutside, "utf8")).toBe("changed");
  });

  it("a flag naming a folder that does not exist is a usage error", async () => {
    const outcome = await harness.run(harness.file("a.prose", "say 1\n"), "--allow-read", join(harness.folder, "nowhere"));
    expect(outcome.code).toBe(2);
    expect(outcome.err).toEqual([`error: --allow-read ${join(harness.folder, "nowhere")}: there is no folder ${join(harness.folder, "nowhere")}.`, "  Give a folder that exists."]);
  });

  it("a script whose folder does not exist is not found (its folder is the default root)", async () => {
    const missing = join(harness.folder, "nowhere", "script.prose");
    expect(await harness.run(missing)).toMatchObject({ code: 2, err: [`error: I can't find the script ${missing}.`, "  Check the path; it is relative to the current folder."] });
  });

  it("`--input name=@path` resolves inside the roots too", async () => {
    const script = harness.file("input.prose", "say the doc's text\n");
    const refused = await harness.run(script, "--input", `doc=@${secretOutside}`);
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toBe(`error: --input doc: I can't read "${secretOutside}": it is outside the files root ${harness.project} (the script's folder).`);
    expect(refused.err.join("\n")).not.toContain(marker);
    expect(await harness.run(script, "--input", `doc=@${secretOutside}`, "--allow-read", harness.outside)).toMatchObject({ code: 0, out: [`${marker}\n`] });
  });

  it("`learn` resolves inside the roots, in check and in run", async () => {
    harness.file(join(harness.outside, "lib.prose"), 'to greet\n    say "hello"\n');
    const script = harness.file("learn.prose", `learn "../outside/lib.prose"\ngreet\n`);
    const checked = await harness.prose("check", script, "--workspace", harness.workspace);
    expect(checked.code).toBe(2);
    expect(checked.err[0].split("\n")[0]).toBe(`${script}:1:7: error: I can't learn from "../outside/lib.prose": it is outside the files root ${harness.project} (the script's folder).`);
    expect(checked.err[0]).toContain(`fix: keep the file under ${harness.project}, or run with --allow-read ${harness.outside} to let the script read that folder.`);
    expect((await harness.run(script)).code).toBe(2);
    expect((await harness.prose("check", script, "--workspace", harness.workspace, "--allow-read", harness.outside)).code).toBe(0);
    expect(await harness.run(script, "--allow-read", harness.outside)).toMatchObject({ code: 0, out: ["hello"] });
  });

  it("`learn` takes only .prose files: another file's lines are never shown", async () => {
    harness.file("notes.txt", `${marker}\nmore lines\n`);
    const script = harness.file("learn.prose", `learn "notes.txt"\n`);
    const checked = await harness.prose("check", script, "--workspace", harness.workspace);
    expect(checked.code).toBe(2);
    expect(checked.err.join("\n")).not.toContain(marker);
    expect(checked.err[0].split("\n")[0]).toBe(`${script}:1:7: error: \`learn\` takes a Prose file (a name ending in .prose); "notes.txt" is not one.`);
  });
});

describe("finding 4: writes never follow a planted link", () => {
  it("a link planted at the old predictable temporary name and at the target is never written through", async () => {
    const victim = harness.file(join(harness.outside, "victim.txt"), "victim stays\n");
    const otherVictim = harness.file(join(harness.outside, "other.txt"), "other stays\n");
    // The old code wrote `.<name>.<pid>.tmp` beside the target, following a link planted there.
    symlinkSync(victim, join(harness.project, `.report.txt.${process.pid}.tmp`));
    symlinkSync(otherVictim, join(harness.project, "report.txt"));
    const outcome = await harness.run(harness.file("write.prose", `write "the report" to the file "report.txt"\n`));
    expect(outcome.code, outcome.err.join("\n")).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("victim stays\n");
    expect(readFileSync(otherVictim, "utf8")).toBe("other stays\n");
    // The link at the target is replaced by the file itself.
    expect(lstatSync(join(harness.project, "report.txt")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(harness.project, "report.txt"), "utf8")).toBe("the report");
    // Nothing is left behind but the planted link.
    expect(readdirSync(harness.project).filter((name) => name.endsWith(".tmp"))).toEqual([`.report.txt.${process.pid}.tmp`]);
  });

  it("a new file gets mode 0644, a replaced file keeps its own mode", async () => {
    const script = harness.file("write.prose", `write "one" to the file "new.txt"\nwrite "two" to the file "private.txt"\n`);
    writeFileSync(join(harness.project, "private.txt"), "before", { mode: 0o600 });
    expect((await harness.run(script)).code).toBe(0);
    expect(statSync(join(harness.project, "new.txt")).mode & 0o777).toBe(0o644);
    expect(statSync(join(harness.project, "private.txt")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(harness.project, "private.txt"), "utf8")).toBe("two");
  });

  it("`..` and absolute paths out of the root are refused for writes; a folder linked out is refused too", async () => {
    symlinkSync(harness.outside, join(harness.project, "out"));
    for (const path of ["../outside/new.txt", join(harness.outside, "new.txt"), "out/new.txt"]) {
      const error = await failure(harness.file("write.prose", `write "x" to the file "${path}"\n`));
      expect(error.message, path).toMatch(new RegExp(`^I can't write "${path.replaceAll("/", "\\/").replaceAll(".", "\\.")}": it is outside the files root `));
    }
    expect(readdirSync(harness.outside).sort()).toEqual(["private.txt"]);
  });
});
