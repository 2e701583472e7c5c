import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAiCompletion, openAiErrors } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { ByomHarness } from "../support/byom-harness.js";

/**
 * The router's shared state is made once per process where routers are built (routed-models)
 * and passed to each run's router: runs of one process share the circuit breakers (and the
 * limits), as they did when they were module singletons of the router.
 */
let harness: ByomHarness;
let mainServer: ScriptedServer;
let backupServer: ScriptedServer;

beforeEach(async () => {
  harness = await ByomHarness.create();
  [mainServer, backupServer] = await Promise.all([startScriptedServer(), startScriptedServer()]);
  harness.environment = { MAIN_KEY: "sk-main-0123456789abcdefghijkl", BACKUP_KEY: "sk-backup-0123456789abcdefghij" };
});
afterEach(async () => {
  await Promise.all([mainServer.close(), backupServer.close()]);
  await harness.dispose();
});

describe("routed models", () => {
  it("give every run of the process the same cooldowns: after three runs saw a model fail, the fourth goes straight to its fallback", async () => {
    await harness.add("openai", "--agent", "bot", "--name", "main", "--base-url", `${mainServer.url}/v1`, "--model", "gpt-4.1-mini", "--api-key-env", "MAIN_KEY", "--retries", "0");
    const backupId = await harness.add("openai", "--agent", "bot", "--name", "backup", "--base-url", `${backupServer.url}/v1`, "--model", "gpt-4.1-nano", "--api-key-env", "BACKUP_KEY");
    expect((await harness.prose("byom", "fallback", backupId, "--agent", "bot")).code).toBe(0);
    const script = join(harness.folder, "script.prose");
    await writeFile(script, 'ask the model "Say hello"\nsay the answer\n');
    mainServer.enqueue(openAiErrors.serverError(), openAiErrors.serverError(), openAiErrors.serverError());
    backupServer.enqueue(openAiCompletion("one"), openAiCompletion("two"), openAiCompletion("three"), openAiCompletion("four"));
    const outputs: string[][] = [];
    for (let run = 0; run < 4; run++) {
      const outcome = await harness.prose("run", script, "--agent", "bot");
      expect(outcome.code, outcome.err.join("\n")).toBe(0);
      outputs.push(outcome.out);
    }
    expect(outputs).toEqual([["one"], ["two"], ["three"], ["four"]]);
    expect(mainServer.requests).toHaveLength(3);
    expect(backupServer.requests).toHaveLength(4);
  });
});
