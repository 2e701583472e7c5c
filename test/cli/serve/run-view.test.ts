import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runView } from "../../../src/cli/serve/api-routes.js";
import type { RunService } from "../../../src/cli/serve/run-service.js";
import { newRunRecord } from "../../../src/runtime/run-store.js";

/** GET /api/runs/{runId} while the server runs the run: what it said so far, never less than run.json holds. */
describe("the API's view of a run it is running", () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), "prose-run-view-"));
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  const record = () => ({ ...newRunRecord("run-20261205T000000-abcdef", "/scripts/ship.prose", { inputs: [], concurrency: 4 }, new Date("2026-12-05T00:00:00Z")), status: "waiting" as const, output: ["hello from serve"] });
  const managerSaying = (live: string[] | undefined) => ({ workspace, liveOutput: () => live, usageOf: async () => undefined }) as unknown as RunService;

  it("keeps the earlier lines while a resumed run has not replayed them yet", async () => {
    expect((await runView(managerSaying([]), record())).output).toEqual(["hello from serve"]);
  });

  it("shows the lines said since, once the run has said more than run.json holds", async () => {
    expect((await runView(managerSaying(["hello from serve", "answered yes"]), record())).output).toEqual(["hello from serve", "answered yes"]);
  });

  it("is run.json's when the server does not run it", async () => {
    expect((await runView(managerSaying(undefined), record())).output).toEqual(["hello from serve"]);
  });
});
