import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { headlessCli } from "../support/headless-cli.js";

const cli = headlessCli("folders-resume");

describe("a folder listed by a run on disk", () => {
  it("is the same list when the run is resumed, though files were added since", async () => {
    mkdirSync(join(cli.folder(), "inbox"));
    writeFileSync(join(cli.folder(), "inbox", "a.txt"), "first");
    const script = join(cli.folder(), "list.prose");
    writeFileSync(script, 'get the files in the folder "inbox"\nsay "{the number of the files} files for {the approver}"\n');
    const first = await cli.prose("run", script, "--json");
    expect(first.code).toBe(3);
    const { runId } = JSON.parse(first.out[0]) as { runId: string };
    writeFileSync(join(cli.folder(), "inbox", "b.txt"), "second");
    const resumed = await cli.prose("run", "--resume", runId, "--answer", "the approver=Dana", "--json");
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.out[0]) as { output: string[] }).output).toEqual(["1 files for Dana"]);
    // A new run sees the folder as it is now.
    const again = await cli.prose("run", script, "--answer", "the approver=Dana");
    expect(again.out).toEqual(["2 files for Dana"]);
  });
});
