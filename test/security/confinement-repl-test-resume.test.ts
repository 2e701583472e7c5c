import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replCommand } from "../../src/cli/repl-command.js";
import { ConfinementHarness, jsonOf } from "../support/confinement-harness.js";

/** Issue 11: `prose repl` and `prose test` apply the same files root and forbidden places as `prose run`; a resumed run keeps its roots. */
let harness: ConfinementHarness;
let secretOutside: string;
const marker = "outside-contents-never-printed-5d2e";

beforeEach(() => {
  harness = new ConfinementHarness();
  secretOutside = harness.file(join(harness.outside, "private.txt"), `${marker}\n`);
});
afterEach(() => harness.dispose());

async function repl(lines: string[], flags: { allowRead?: string[] } = {}): Promise<{ out: string[]; err: string[] }> {
  const printed = { out: [] as string[], err: [] as string[] };
  const input = new PassThrough();
  input.end(`${lines.join("\n")}\n`);
  const writer = { out: (line: string) => printed.out.push(line), err: (line: string) => printed.err.push(line) };
  const code = await replCommand({ environment: harness.environment, workspace: harness.workspace, input, output: new PassThrough(), terminal: false, services: { currentDirectory: harness.project }, ...flags }, writer);
  expect(code).toBe(0);
  return printed;
}

describe("prose repl", () => {
  it("refuses the key file, the workspace, /proc and folders outside the current folder, for read, write, learn and :load", async () => {
    harness.file(".prose/agents/default.json", '{"providers":[]}\n');
    harness.file(join(harness.outside, "lib.prose"), 'to greet\n    say "hello"\n');
    const printed = await repl([
      `read the file "${harness.keyFile}"`,
      `read the file "${join(harness.workspace, "agents", "default.json")}"`,
      `write "x" to the file "${join(harness.workspace, "agents", "default.json")}"`,
      'read the file "/proc/self/environ"',
      `read the file "${secretOutside}"`,
      `learn "${join(harness.outside, "lib.prose")}"`,
      `learn "${harness.keyFile}"`,
      `:load ${harness.keyFile}`,
    ]);
    const errors = printed.err.join("\n");
    expect(errors).toContain(`I can't read "${harness.keyFile}": it is the master-key file, which scripts never reach.`);
    expect(errors).toContain(`I can't read "${join(harness.workspace, "agents", "default.json")}": it is in the Prose workspace (${harness.workspace}), which scripts never reach.`);
    expect(errors).toContain(`I can't write "${join(harness.workspace, "agents", "default.json")}": it is in the Prose workspace`);
    expect(errors).toContain(`I can't read "/proc/self/environ": it is under /proc, which scripts never reach.`);
    expect(errors).toContain(`I can't read "${secretOutside}": it is outside the files root ${harness.project} (the current folder).`);
    expect(errors).toContain(`I can't learn from "${join(harness.outside, "lib.prose")}": it is outside the files root ${harness.project} (the current folder).`);
    expect(errors).toContain(`\`learn\` takes a Prose file (a name ending in .prose)`);
    expect(errors).toContain(`error: I can't load "${harness.keyFile}": it is the master-key file, which scripts never reach.`);
    for (const form of harness.keyForms) expect([...printed.out, ...printed.err].join("\n")).not.toContain(form);
    expect([...printed.out, ...printed.err].join("\n")).not.toContain(marker);
    expect(readFileSync(join(harness.workspace, "agents", "default.json"), "utf8")).toBe('{"providers":[]}\n');
  });

  it("--allow-read widens the session's roots", async () => {
    const printed = await repl([`read the file "${secretOutside}" as the notes`, "say the notes' text"], { allowRead: [harness.outside] });
    expect(printed.err).toEqual([]);
    expect(printed.out.slice(1)).toEqual([`${marker}\n`]);
  });
});

describe("prose test", () => {
  it("runs the scripts under test with the same confinement: the key and folders outside the tested folder are refused", async () => {
    harness.file("reader.prose", `read the file the path as the file\nsay the file's text\n`);
    harness.file(
      "reader.test.prose",
      `test "the key file is refused"
run the script "reader.prose"
    the path is "${harness.keyFile}"
expect the status to be "failed"
expect the error to contain "the master-key file, which scripts never reach"
expect the output to be ""

test "a file outside the tested folder is refused"
run the script "reader.prose"
    the path is "${secretOutside}"
expect the status to be "failed"
expect the error to contain "outside the files root ${harness.project} (the folder tested)"

test "a test file cannot read the key itself"
read the file "${harness.keyFile}" as the key
run the script "reader.prose"
    the path is "reader.prose"
`,
    );
    const outcome = await harness.prose("test", harness.project, "--workspace", harness.workspace);
    const printed = [...outcome.out, ...outcome.err].join("\n");
    expect(outcome.out).toContain("  pass  the key file is refused");
    expect(outcome.out).toContain("  pass  a file outside the tested folder is refused");
    expect(outcome.out).toContain("  FAIL  a test file cannot read the key itself");
    expect(printed).toContain(`I can't read "${harness.keyFile}": it is the master-key file, which scripts never reach.`);
    for (const form of harness.keyForms) expect(printed).not.toContain(form);
    expect(printed).not.toContain(marker);
    expect(outcome.code).toBe(1);
  });

  it("--allow-read lets the scripts under test read a folder", async () => {
    harness.file("reader.prose", `read the file the path as the file\nsay the file's text\n`);
    harness.file("reader.test.prose", `test "reads outside"\nrun the script "reader.prose"\n    the path is "${secretOutside}"\nexpect the output to contain "${marker}"\n`);
    expect(await harness.prose("test", harness.project, "--workspace", harness.workspace)).toMatchObject({ code: 1 });
    expect(await harness.prose("test", harness.project, "--workspace", harness.workspace, "--allow-read", harness.outside)).toMatchObject({ code: 0 });
  });
});

describe("prose run --resume", () => {
  it("keeps the run's --allow-write, so a resumed run writes where the first one could", async () => {
    const target = join(harness.outside, "vendor.txt");
    const script = harness.file("ask.prose", `say the vendor\nwrite the vendor to the file "${target}"\n`);
    const first = await harness.run(script, "--json", "--allow-write", harness.outside);
    const json = jsonOf(first);
    expect(json.status).toBe("waiting");
    const resumed = await harness.prose("run", "--resume", json.runId!, "--workspace", harness.workspace, "--answer", "the vendor=Acme", "--json");
    expect(jsonOf(resumed)).toMatchObject({ status: "done", output: ["Acme"] });
    expect(readFileSync(target, "utf8")).toBe("Acme");
  });
});
