import { spawnSync } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestWorkspace } from "../support/workspace-cli.js";

// Finding 6 (leftovers): what a killed command left — temporary files, per-file locks, orphan
// secret entries — stayed for ever. The next command that changes the workspace removes them.

let space: TestWorkspace;
beforeEach(async () => {
  space = await TestWorkspace.create();
});
afterEach(async () => {
  await space.dispose();
});

const key = (label: string) => `sk-tidy-${label}-0123456789abcdefghijklmnop`;
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid ?? 0;

describe("the next command cleans what a killed one left", () => {
  it("removes dead processes' temporary files and old per-file locks, keeping a live process's", async () => {
    const added = await space.add("keeper", "http://127.0.0.1:9/v1", key("keeper"));
    expect(added.code, added.stderr).toBe(0);
    const dead = deadPid();
    const agents = join(space.workspace, "agents");
    await writeFile(join(space.workspace, `secrets.enc.json.${dead}.0a1b2c3d4e5f.tmp`), "{");
    await writeFile(join(space.workspace, `.workspace.json.${dead}.0a1b2c3d.tmp`), "{");
    await writeFile(join(agents, `.default.json.${dead}.0a1b2c3d.tmp`), "{");
    await writeFile(join(agents, "default.json.lock"), String(dead));
    const live = join(space.workspace, `secrets.enc.json.${process.pid}.0a1b2c3d4e5f.tmp`);
    await writeFile(live, "{");
    const next = await space.run(["byom", "default", added.stdout.trim()], { env: { PROSE_LOCK_WAIT_SECONDS: "0" } });
    expect(next.code, next.stderr).toBe(0);
    expect(await space.leftovers()).toEqual([live]);
    expect(await readdir(agents)).toEqual(["default.json"]);
  }, 60_000);

  it("deletes orphan entries of an agent whose file names other providers or versions, and keeps an agent's without a file", async () => {
    const added = await space.add("keeper", "http://127.0.0.1:9/v1", key("keeper"));
    const keeper = added.stdout.trim();
    const store = space.store();
    await store.put({ agent: "default", providerId: keeper, version: 2 }, key("unswitched"));
    await store.put({ agent: "default", providerId: "custom-gone-1-abcdef", version: 1 }, key("gone"));
    await store.put({ agent: "moved-away", providerId: "custom-elsewhere-1-abcdef", version: 1 }, key("elsewhere"));
    const next = await space.run(["byom", "default", keeper]);
    expect(next.code, next.stderr).toBe(0);
    expect(await space.entries()).toEqual([
      { agent: "default", providerId: keeper, version: 1 },
      { agent: "moved-away", providerId: "custom-elsewhere-1-abcdef", version: 1 },
    ]);
    expect(await store.get({ agent: "default", providerId: keeper, version: 1 })).toBe(key("keeper"));
  }, 60_000);
});
