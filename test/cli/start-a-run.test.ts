import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, spawnProse } from "../support/built-cli.js";
import { headlessCli } from "../support/headless-cli.js";
import { spawnSync } from "node:child_process";
import { ensureRunsFolder, newRunRecord, readRunRecord, shownStatus, writeRunRecord, type RunRecord } from "../../src/runtime/run-store.js";
import { runStarter } from "../../src/cli/run-starter.js";
import { FilesPolicy } from "../../src/cli/files-policy.js";

/**
 * `start a run of …` against the real CLI: the started run is a `prose run --resume <id>` process
 * of bin/prose.js (the built bundle), detached; the tests wait for it by reading its run.json.
 */
const cli = headlessCli("start-run");
const workspace = () => join(cli.folder(), "workspace");

beforeAll(() => buildIfStale(), 180_000);

function script(name: string, source: string): string {
  const path = join(cli.folder(), name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, source);
  return path;
}

/** The started run once it has ended (done, failed or waiting): its run.json is read until then, for up to a minute. */
async function ended(id: string): Promise<RunRecord> {
  for (let tries = 0; tries < 600; tries++) {
    const record = readRunRecord(workspace(), id);
    if (record && record.timings.attempts.length > 0 && shownStatus(record) !== "running" && shownStatus(record) !== "interrupted") return record;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = join(workspace(), "runs", id, "stderr.log");
  throw new Error(`the run ${id} did not end: ${JSON.stringify(readRunRecord(workspace(), id))}\n${existsSync(log) ? readFileSync(log, "utf8") : ""}`);
}

const child = 'write "invoice {the invoice}: {the amount}" to the file "out/{the invoice}.txt"\nsay "wrote {the invoice}"\n';

describe("start a run of", () => {
  it("starts the script as a run of its own, in the workspace, with the block's facts as its inputs and the same agent and project", async () => {
    script("child.prose", child);
    mkdirSync(join(cli.folder(), "out"));
    const parent = script("parent.prose", 'start a run of "child.prose"\n    the invoice is "INV-7"\n    the amount is $1,240.50\nsay "started"\n');
    const started = await cli.prose("run", parent, "--json", "--agent", "billing", "--project", "q4");
    expect(started.err).toEqual([]);
    expect(started.code).toBe(0);
    const json = JSON.parse(started.out[0]) as { runId: string; output: string[]; facts: { run: string } };
    expect(json.output).toEqual(["started"]);
    const id = json.facts.run;
    expect(id).toMatch(/^run-\d{8}T\d{6}-[a-z0-9]{6}$/);
    expect(id).not.toBe(json.runId);

    const record = await ended(id);
    expect(record.status).toBe("done");
    expect(record.output).toEqual(["wrote INV-7"]);
    expect(record.script).toBe(join(cli.folder(), "child.prose"));
    expect(record.arguments).toMatchObject({ inputs: ["invoice=INV-7", "amount=$1,240.50"], agent: "billing", project: "q4", files: { root: cli.folder() } });
    expect(record.timings.attempts).toHaveLength(1);
    expect(readFileSync(join(cli.folder(), "out", "INV-7.txt"), "utf8")).toBe("invoice INV-7: $1,240.50");
    expect(existsSync(join(workspace(), "runs", id, "journal.jsonl"))).toBe(true);

    const shown = await cli.prose("runs", "show", id);
    expect(shown.code).toBe(0);
    expect(shown.out[0]).toBe(`run ${id}  done`);
    expect(shown.out).toContain("  wrote INV-7");
  }, 90_000);

  it("runs on its own: it goes on after the process that started it has ended", async () => {
    script("slow.prose", 'wait 2 seconds\nwrite "late" to the file "late.txt"\nsay "finished"\n');
    script("parent.prose", 'start a run of "slow.prose"\nsay "started {the run}"\n');
    const parent = spawnProse(["run", "parent.prose", "--json"], { cwd: cli.folder(), env: { PROSE_HOME: workspace() } });
    expect(await parent.exited).toBe(0);
    const json = JSON.parse(parent.stdout()) as { runId: string; facts: { run: string } };
    const record = await ended(json.facts.run);
    expect(record.status).toBe("done");
    expect(record.output).toEqual(["finished"]);
    expect(readFileSync(join(cli.folder(), "late.txt"), "utf8")).toBe("late");
    // It ended after the run that started it did (that one did not wait for it).
    const parentEnd = readRunRecord(workspace(), json.runId)!.timings.attempts[0].endedAt!;
    expect(Date.parse(record.timings.attempts[0].endedAt!)).toBeGreaterThan(Date.parse(parentEnd));
  }, 90_000);

  it("is journaled: a resumed run replays the id it started and starts no second run", async () => {
    script("child.prose", child);
    mkdirSync(join(cli.folder(), "out"));
    const parent = script("parent.prose", 'start a run of "child.prose"\n    the invoice is "INV-8"\n    the amount is 3\nsay "started {the run}"\nsay "approved by {the approver}"\n');
    const first = await cli.prose("run", parent, "--json");
    expect(first.code).toBe(3);
    const waiting = JSON.parse(first.out[0]) as { runId: string; output: string[]; facts: { run: string } };
    const id = waiting.facts.run;
    expect(waiting.output).toEqual([`started ${id}`]);
    expect((await ended(id)).status).toBe("done");

    const resumed = await cli.prose("run", "--resume", waiting.runId, "--answer", "the approver=Dana", "--json");
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.out[0]) as { output: string[] }).output).toEqual([`started ${id}`, "approved by Dana"]);
    // Only the two runs: the parent and the one it started, once.
    expect(readdirSync(join(workspace(), "runs")).filter((name) => name.startsWith("run-")).sort()).toEqual([id, waiting.runId].sort());
    const again = await ended(id);
    expect(again.timings.attempts).toHaveLength(1);
    expect(readFileSync(join(cli.folder(), "out", "INV-8.txt"), "utf8")).toBe("invoice INV-8: 3");
  }, 90_000);

  it("refuses a script outside the files root, one with errors, and a list as an input, in English, starting nothing", async () => {
    script("lib/bad.prose", 'say "unclosed\n');
    script("ok.prose", 'say "ok"\n');
    const outside = script("scripts/outside.prose", 'start a run of "../ok.prose"\n');
    const refused = await cli.prose("run", outside);
    expect(refused.code).toBe(1);
    expect(refused.err[0].split("\n")[0]).toBe(`${outside}:1:1: error: I can't start a run of "../ok.prose": it is outside the files root ${join(cli.folder(), "scripts")} (the script's folder).`);

    const broken = script("broken-parent.prose", 'start a run of "lib/bad.prose"\n');
    const errors = await cli.prose("run", broken);
    expect(errors.code).toBe(1);
    expect(errors.err[0].split("\n")[0]).toBe(`${broken}:1:1: error: I can't start a run of "lib/bad.prose": it has an error, the first at line 1, column 5: This text has no closing quote.`);
    expect(errors.err.join("\n")).toContain(`fix: see them all with \`prose check ${join(cli.folder(), "lib", "bad.prose")}\`, and correct them.`);

    const listed = script("list-parent.prose", 'the names are "a" and "b"\nstart a run of "ok.prose"\n    the names are the names\n');
    const list = await cli.prose("run", listed);
    expect(list.code).toBe(1);
    expect(list.err[0]).toContain("`the names` is a list, but a run's inputs are single values (texts, numbers, dates, yes/no) or documents.");

    const missing = script("missing-parent.prose", 'start a run of "nowhere.prose"\n');
    expect((await cli.prose("run", missing)).err[0].split("\n")[0]).toBe(`${missing}:1:1: error: The script "nowhere.prose" doesn't exist (looked for ${join(cli.folder(), "nowhere.prose")}).`);
    // Only the parents' own runs were made.
    const runs = readdirSync(join(workspace(), "runs")).filter((name) => name.startsWith("run-"));
    expect(runs.map((id) => readRunRecord(workspace(), id)!.script).sort()).toEqual([broken, listed, missing, outside].sort());
  }, 60_000);

  it("when replayed, starts a run that never began (its holder gone), and leaves one that did alone", async () => {
    const path = script("child.prose", 'say "ran {the invoice}"\n');
    const files = new FilesPolicy({ root: cli.folder(), rootOrigin: "the script's folder", workspace: workspace(), environment: {} });
    const start = runStarter({ workspace: workspace(), parent: { inputs: [], concurrency: 4 }, filesRoot: cli.folder(), files, environment: { PROSE_HOME: workspace() }, now: () => new Date() });
    // A run recorded by a starting process that ended before starting it.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    ensureRunsFolder(workspace());
    const id = "run-20261205T000000-never1";
    writeRunRecord(workspace(), { ...newRunRecord(id, path, { inputs: ["invoice=INV-9"], concurrency: 4, files: { root: cli.folder() } }, new Date()), pid: gone });
    expect(shownStatus(readRunRecord(workspace(), id)!)).toBe("interrupted");
    expect(await start({ script: path, inputs: ["invoice=INV-9"], existingId: id })).toBe(id);
    const record = await ended(id);
    expect(record.output).toEqual(["ran INV-9"]);
    expect(record.timings.attempts).toHaveLength(1);
    // Replayed again: it began, so nothing is started.
    expect(await start({ script: path, inputs: ["invoice=INV-9"], existingId: id })).toBe(id);
    expect(readRunRecord(workspace(), id)!.timings.attempts).toHaveLength(1);
    await expect(start({ script: path, inputs: [], existingId: "run-20261205T000000-absent" })).rejects.toMatchObject({ reason: expect.stringContaining("no longer in the workspace") });
  }, 60_000);
});
