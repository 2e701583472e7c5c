import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomHarness } from "../support/byom-harness.js";
import { canaryForms as canaryFormsOf, describeSightings, echoedForms, findCanary } from "../support/canary-forms.js";
import { openAiCompletion, openAiErrors } from "../support/openai-server.js";
import { jsonResponse, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

/** A recognisable key, put through every command that manages providers: it must show nowhere but in the store. */
const canary = "sk-canary-byom-manage-4d2b8e6a1c9f3e7b5a0d";
const canaryForms = [...canaryFormsOf(canary).map((form) => form.value), canary.slice(3, -4)];

let harness: ByomHarness;
let server: ScriptedServer;
beforeEach(async () => {
  harness = await ByomHarness.create();
  server = await startScriptedServer();
});
afterEach(async () => {
  await server.close();
  await harness.dispose();
});

async function manageEverything(): Promise<void> {
  harness.environment = { ...harness.environment, CANARY_KEY: canary };
  const openAi = await harness.add("openai", "--base-url", `${server.url}/v1`, "--api-key-env", "CANARY_KEY", "--no-training", "--reasoning", "low");
  const custom = await harness.add("custom", "--name", "canary vllm", "--base-url", `${server.url}/v1`, "--model", "llama-3.1-8b", "--api-key-env", "CANARY_KEY");
  const expectCode = async (code: number, ...argv: string[]) => {
    const outcome = await harness.prose("byom", ...argv);
    expect(outcome.code, `${argv.join(" ")}: ${outcome.err.join("\n")}`).toBe(code);
  };
  for (const json of [[], ["--json"]]) {
    await expectCode(0, "disable", openAi, ...json);
    await expectCode(0, "enable", openAi, ...json);
    // A test call answered, then refused with the key echoed, then failing with it in the body.
    server.enqueue(openAiCompletion("OK"));
    await expectCode(0, "model", "add", openAi, json.length === 0 ? "gpt-4o" : "gpt-4.1", "--fallback", ...json);
    server.enqueue(openAiErrors.invalidKey(canary));
    await expectCode(1, "model", "add", openAi, "gpt-5", ...json);
    server.enqueue(jsonResponse(500, { error: { message: `internal error with key ${canary}; ${Object.values(echoedForms(canary)).join("; ")}`, type: "server_error" } }));
    await expectCode(1, "model", "add", custom, "other-model", ...json);
    await expectCode(2, "model", "add", openAi, "gpt-4.1-mini", ...json);
    await expectCode(0, "edit", openAi, "--rpm", "30", "--reasoning", "off", "--training", ...json);
    await expectCode(0, "edit", openAi, "--rpm", "none", "--no-training", "--base-url", `${server.url}/v1`, ...json);
    await expectCode(2, "edit", openAi, "--rpm", "-1", ...json);
    await expectCode(0, "policy", "--require-no-training", ...json);
    await expectCode(0, "policy", ...json);
    await expectCode(0, "policy", "--allow-training", ...json);
    await expectCode(0, "policy", "--require-no-training", "--project", "secure", ...json);
    await expectCode(0, "default", openAi, "--project", "staging", ...json);
    await expectCode(0, "fallback", custom, "--project", "staging", ...json);
    await expectCode(0, "list", "--project", "staging", ...json);
    await expectCode(0, "list", "--project", "secure", ...json);
    await expectCode(0, "show", openAi, ...json);
    await expectCode(0, "default", "--project", "staging", "--clear", ...json);
    await expectCode(0, "fallback", "--project", "staging", "--clear", ...json);
  }
  await expectCode(0, "model", "remove", openAi, "gpt-4o");
  await expectCode(0, "model", "remove", openAi, "gpt-4.1-mini", "--primary", "gpt-4.1", "--json");
  // The key pasted where a name or a setting goes is refused without being repeated.
  await expectCode(2, "edit", openAi, "--name", canary);
  await expectCode(2, "edit", openAi, "--base-url", canary, "--json");
  await expectCode(2, "edit", openAi, canary);
  await expectCode(2, "model", "add", openAi, canary, "--json");
  await expectCode(2, "default", canary, "--project", "p");
  await expectCode(2, "fallback", canary, "--project", "p", "--json");
  await expectCode(2, "disable", canary);
  await expectCode(2, "policy", "--project", canary);
  // A run after all the changes: its usage record is written, and checked below with every file.
  const script = join(harness.folder, "hello.prose");
  await writeFile(script, 'ask the model "Say hello"\nsay the answer\n');
  server.enqueue(openAiCompletion("Hello"));
  const run = await harness.prose("run", script, "--project", "secure");
  expect(run.code, run.err.join("\n")).toBe(0);
  expect(run.out).toEqual(["Hello"]);
  // The test calls carried the key itself, not a copy of it.
  expect(server.requests.filter((request) => request.headers.authorization === `Bearer ${canary}`).length).toBeGreaterThanOrEqual(6);
}

async function expectNoCanary(storeFile?: string): Promise<void> {
  expect(harness.printed.length).toBeGreaterThan(60);
  expect(harness.printed.filter((line) => line.includes("[redacted]")).length).toBeGreaterThanOrEqual(2);
  for (const line of harness.printed) for (const form of canaryForms) expect(line, "a printed line").not.toContain(form);
  const files = await harness.files();
  expect(files.map((file) => basename(file.path))).toEqual(expect.arrayContaining(["default.json", expect.stringMatching(/^\d{4}-\d{2}\.jsonl$/)]));
  for (const file of files) {
    if (file.path === storeFile) continue;
    expect(describeSightings(findCanary(canary, file.contents, file.path))).toBe("");
  }
}

describe("the canary key through enable, disable, model, edit, policy and the project commands", () => {
  it("with the in-memory store: in no printed line, error, JSON or workspace file", async () => {
    await manageEverything();
    await expectNoCanary();
    expect([...harness.localStore.values.values()].filter((value) => value === canary)).toHaveLength(2);
  });

  it("with the real local store: in no file but the encrypted store, and not in clear there", async () => {
    harness.realStores = true;
    harness.environment = { PROSE_MASTER_KEY: Buffer.alloc(32, 5).toString("base64") };
    await manageEverything();
    const storeFile = join(harness.workspace, "secrets.enc.json");
    await expectNoCanary(storeFile);
    const encrypted = (await harness.files()).find((file) => file.path === storeFile);
    expect(encrypted).toBeDefined();
    expect(describeSightings(findCanary(canary, encrypted!.contents, storeFile))).toBe("");
  });
});
