import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anthropicErrors, anthropicText } from "../support/anthropic-server.js";
import { openAiCompletion, openAiError, openAiErrors } from "../support/openai-server.js";
import { jsonResponse, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { canaryForms as canaryFormsOf } from "../support/canary-forms.js";
import { ByomHarness } from "../support/byom-harness.js";

/** A recognisable secret: it must never show in a workspace file, a printed line or an error. */
const canary = "sk-canary-byom-cli-7f3a9c2e5b1d4e6f8a0b";
/** Every form an echo may give it (test/support/canary-forms.ts), and its middle part. */
const canaryForms = [...canaryFormsOf(canary).map((form) => form.value), canary.slice(3, -4)];

let harness: ByomHarness;
let server: ScriptedServer;
let outside: string;

beforeEach(async () => {
  harness = await ByomHarness.create();
  server = await startScriptedServer();
  outside = await mkdtemp(join(tmpdir(), "prose-canary-input-"));
});
afterEach(async () => {
  await server.close();
  await harness.dispose();
  await rm(outside, { recursive: true, force: true });
});

/** Adds four providers holding the canary, runs scripts that succeed and fail, and list/show/verify every way. */
async function exerciseEverything(): Promise<void> {
  harness.environment = { ...harness.environment, CANARY_KEY: canary };
  harness.standardInput = `${canary}\n`;
  const openAi = await harness.add("openai", "--name", "canary openai", "--base-url", `${server.url}/v1`, "--api-key-stdin");
  const anthropic = await harness.add("anthropic", "--base-url", server.url, "--api-key-env", "CANARY_KEY");
  const keyFile = join(outside, "custom.key");
  await writeFile(keyFile, canary);
  const custom = await harness.add("custom", "--name", "canary vllm", "--base-url", `${server.url}/v1`, "--model", "llama-3.1-8b", "--credentials-file", keyFile);
  const awsFile = join(outside, "aws.json");
  await writeFile(awsFile, JSON.stringify({ accessKeyId: "AKIACANARYEXAMPLE123", secretAccessKey: canary }));
  const bedrock = await harness.add("bedrock", "--region", "us-east-1", "--model", "amazon.nova-lite-v1:0", "--credentials-file", awsFile);
  const ids = [openAi, anthropic, custom, bedrock];

  const scriptFor = async (name: string, providerId: string) => {
    const path = join(harness.folder, `${name}.prose`);
    await writeFile(path, `ask the model "Say hello"\n    the model provider is "${providerId}"\nsay the answer\n`);
    return path;
  };
  const echoingServerError = jsonResponse(500, { error: { message: `internal error while using key ${canary}`, type: "server_error", param: null, code: null } });
  const runs: Array<[string, string, Parameters<ScriptedServer["enqueue"]>[0], number]> = [
    ["ok-openai", openAi, openAiCompletion("Hello"), 0],
    ["rejected-openai", openAi, openAiErrors.invalidKey(canary), 1],
    ["failing-openai", openAi, echoingServerError, 1],
    ["ok-anthropic", anthropic, anthropicText("Hello"), 0],
    ["rejected-anthropic", anthropic, anthropicErrors.invalidKey(canary), 1],
    ["ok-custom", custom, openAiCompletion("Hello"), 0],
    ["rejected-custom", custom, openAiError(401, { message: `bad token ${canary}`, type: "invalid_request_error" }), 1],
  ];
  for (const [name, providerId, response, code] of runs) {
    const path = await scriptFor(name, providerId);
    for (const json of [false, true]) {
      server.enqueue(response);
      const outcome = await harness.prose("run", path, ...(json ? ["--json"] : []));
      expect(outcome.code, `${name} ${json ? "--json" : ""}`).toBe(code);
    }
  }
  expect(server.requests.filter((request) => request.headers.authorization === `Bearer ${canary}`).length).toBeGreaterThanOrEqual(14);

  for (const json of [[], ["--json"]]) {
    expect((await harness.prose("byom", "list", ...json)).code).toBe(0);
    for (const id of ids) expect((await harness.prose("byom", "show", id, ...json)).code).toBe(0);
    server.enqueue(openAiErrors.invalidKey(canary));
    expect((await harness.prose("byom", "verify", openAi, ...json)).code).toBe(1);
    server.enqueue(anthropicText("OK"));
    expect((await harness.prose("byom", "verify", anthropic, ...json)).code).toBe(0);
    server.enqueue(jsonResponse(500, { error: { message: `boom ${canary}`, type: "server_error" } }));
    expect((await harness.prose("byom", "verify", custom, ...json)).code).toBe(1);
  }
  // Mistakes that put the canary on the command line are refused without repeating it.
  expect((await harness.prose("byom", "add", "openai", "--api-key", canary)).code).toBe(2);
  expect((await harness.prose("byom", "add", "openai", `--apikey=${canary}`)).code).toBe(2);
  expect((await harness.prose("byom", "add", "custom", "--name", canary, "--base-url", "http://x/v1", "--model", "m")).code).toBe(2);
  expect((await harness.prose("byom", "rotate", openAi, canary)).code).toBe(2);
}

async function expectNoCanaryAnywhere(storeFile?: string): Promise<void> {
  expect(harness.printed.length).toBeGreaterThan(50);
  // The servers echoed the canary in their error bodies: those came through scrubbed.
  expect(harness.printed.filter((line) => line.includes("[redacted]")).length).toBeGreaterThan(5);
  for (const line of harness.printed) for (const form of canaryForms) expect(line, "a printed line").not.toContain(form);
  const files = (await harness.files()).filter((file) => file.path !== storeFile);
  expect(files.map((file) => basename(file.path))).toEqual(expect.arrayContaining(["default.json", ".gitignore"]));
  for (const file of files) for (const form of canaryForms) expect(file.contents.includes(form), file.path).toBe(false);
}

describe("the canary secret never leaves the secret store", () => {
  it("with the in-memory store: not in any workspace file, printed line or error message", async () => {
    await exerciseEverything();
    await expectNoCanaryAnywhere();
    const stored = [...harness.localStore.values.values()];
    expect(stored.filter((value) => value.includes(canary))).toHaveLength(4);
  });

  it("with the real local store: not in any file but the encrypted store, and not in that one in clear", async () => {
    harness.realStores = true;
    harness.environment = { PROSE_MASTER_KEY: Buffer.alloc(32, 9).toString("base64") };
    await exerciseEverything();
    const storeFile = join(harness.workspace, "secrets.enc.json");
    await expectNoCanaryAnywhere(storeFile);
    const encrypted = (await harness.files()).find((file) => file.path === storeFile);
    expect(encrypted).toBeDefined();
    for (const form of canaryForms) expect(encrypted!.contents.includes(form)).toBe(false);
  });
});
