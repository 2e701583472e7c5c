import { linkSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAiCompletion } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { ConfinementHarness, filesUnder, jsonOf } from "../support/confinement-harness.js";

/**
 * Issue 11, findings 2 and 3: a script never reaches the workspace or the master key — not to
 * read its own provider's configuration and send the key elsewhere, not through `learn`, `read
 * the file`, /proc or `--input @path` — and no byte of the key reaches an output or the journal.
 */
let harness: ConfinementHarness;
let provider: ScriptedServer;
let thief: ScriptedServer;
const canary = "sk-canary-confinement-4b1e9d7a2c6f";

beforeEach(async () => {
  harness = new ConfinementHarness();
  provider = await startScriptedServer();
  thief = await startScriptedServer();
});
afterEach(async () => {
  await provider.close();
  await thief.close();
  harness.dispose();
});

/** A custom provider whose key (the canary) is in the real local store, encrypted with the key file's key. */
async function addProvider(): Promise<string> {
  harness.services = { readStandardInput: async () => `${canary}\n` };
  const added = await harness.prose("byom", "add", "custom", "--name", "vllm", "--base-url", `${provider.url}/v1`, "--model", "llama", "--api-key-stdin", "--workspace", harness.workspace);
  expect(added.code, added.err.join("\n")).toBe(0);
  return added.out[0];
}

describe("finding 2: a script cannot steal its own key by rewriting its provider's base URL", () => {
  it("reading the agent file is refused, in English, naming the path and the workspace", async () => {
    const id = await addProvider();
    const script = harness.file("steal.prose", `read the file ".prose/agents/default.json" as the config\nsay the config\nask the model "hi"\n    the model provider is "${id}"\n`);
    const outcome = await harness.run(script, "--json");
    expect(outcome.code).toBe(1);
    const json = jsonOf(outcome);
    expect(json.output).toEqual([]);
    expect(json.error?.message).toBe(`I can't read ".prose/agents/default.json": it is in the Prose workspace (${harness.workspace}), which scripts never reach.`);
    expect(json.error?.at).toBe(`${script}:1:1`);
    expect(json.error?.fix).toContain("no flag opens it");
    expect(outcome.out.join("\n")).not.toContain(provider.url);
    expect(provider.requests).toHaveLength(0);
  });

  it("writing the agent file back with another base URL is refused: the file is unchanged and the key goes nowhere", async () => {
    const id = await addProvider();
    const agentFile = join(harness.workspace, "agents", "default.json");
    const before = readFileSync(agentFile, "utf8");
    expect(before).toContain(provider.url);
    // The script carries its own copy of the configuration, pointing at the thief.
    harness.file("payload.json", before.replaceAll(provider.url, thief.url));
    const script = harness.file(
      "steal.prose",
      `read the file "payload.json" as the payload\nwrite the payload to the file ".prose/agents/default.json"\nask the model "hi"\n    the model provider is "${id}"\nsay the answer\n`,
    );
    thief.enqueue(openAiCompletion("stolen"));
    provider.enqueue(openAiCompletion("hello"));
    const outcome = await harness.run(script);
    expect(outcome.code).toBe(1);
    expect(outcome.err[0].split("\n")[0]).toBe(`${script}:2:1: error: I can't write ".prose/agents/default.json": it is in the Prose workspace (${harness.workspace}), which scripts never reach.`);
    expect(outcome.err.join("\n")).toContain("fix: no flag opens it");
    expect(readFileSync(agentFile, "utf8")).toBe(before);
    expect(thief.requests).toHaveLength(0);
    expect(outcome.out).toEqual([]);
  });

  it("a link inside the files root that leads into the workspace reads nothing, and writing it never writes through", async () => {
    const id = await addProvider();
    const agentFile = join(harness.workspace, "agents", "default.json");
    const before = readFileSync(agentFile, "utf8");
    symlinkSync(agentFile, join(harness.project, "config.json"));
    const reading = await harness.run(harness.file("read.prose", `read the file "config.json"\nsay the file\n`), "--json");
    expect(jsonOf(reading).error?.message).toBe(`I can't read "config.json": it is in the Prose workspace (${harness.workspace}), which scripts never reach.`);
    harness.file("payload.json", before.replaceAll(provider.url, thief.url));
    provider.enqueue(openAiCompletion("hello"));
    const writing = await harness.run(harness.file("write.prose", `read the file "payload.json" as the payload\nwrite the payload to the file "config.json"\nask the model "hi"\n    the model provider is "${id}"\nsay the answer\n`));
    // The link itself is replaced by a file of the project; the agent file is untouched.
    expect(readFileSync(agentFile, "utf8")).toBe(before);
    expect(readFileSync(join(harness.project, "config.json"), "utf8")).toContain(thief.url);
    expect(thief.requests).toHaveLength(0);
    expect(writing).toMatchObject({ code: 0, out: ["hello"] });
    expect(provider.requests).toHaveLength(1);
  });

  it("the workspace is never reached even when --files or --allow-read names it", async () => {
    await addProvider();
    const script = harness.file("read.prose", `read the file "${join(harness.workspace, "secrets.enc.json")}"\n`);
    for (const flags of [["--files", harness.folder], ["--allow-read", harness.workspace], ["--allow-write", harness.workspace]]) {
      const outcome = await harness.run(script, "--json", ...flags);
      expect(jsonOf(outcome).error?.message, flags.join(" ")).toContain("it is in the Prose workspace");
    }
  });
});

describe("finding 3: the master key never leaks", () => {
  it("`learn` of the key file prints no byte of it in check, run or --json", async () => {
    const script = harness.file("learn-key.prose", `learn "${harness.keyFile}"\nsay "hi"\n`);
    const checked = await harness.prose("check", script, "--workspace", harness.workspace);
    const ran = await harness.run(script);
    const json = await harness.run(script, "--json");
    for (const outcome of [checked, ran, json]) {
      expect(outcome.code).toBe(2);
      harness.expectNoKeyIn(outcome);
    }
    expect(checked.err[0].split("\n")[0]).toBe(`${script}:1:7: error: \`learn\` takes a Prose file (a name ending in .prose); "${harness.keyFile}" is not one.`);
  });

  it("`learn` of a key file named .prose, or of a .prose link to the key, is refused without showing it", async () => {
    harness.environment.PROSE_KEY_FILE = harness.file(join(harness.folder, "keys", "key.prose"), `${harness.keyText}\n`);
    symlinkSync(harness.environment.PROSE_KEY_FILE, join(harness.project, "lib.prose"));
    for (const learned of [harness.environment.PROSE_KEY_FILE, "lib.prose"]) {
      const script = harness.file("learn-key.prose", `learn "${learned}"\nsay "hi"\n`);
      for (const outcome of [await harness.prose("check", script, "--workspace", harness.workspace), await harness.run(script), await harness.run(script, "--json")]) {
        expect(outcome.code, learned).toBe(2);
        harness.expectNoKeyIn(outcome);
        expect([...outcome.out, ...outcome.err].join("\n")).toContain(`I can't learn from "${learned}": it is the master-key file, which scripts never reach.`);
      }
    }
  });

  it("`read the file` of the key file is refused, and no byte of the key is in the journal or any file of the workspace", async () => {
    const script = harness.file("read-key.prose", `read the file "${harness.keyFile}" as the key\nsay the key\n`);
    const outcome = await harness.run(script, "--json");
    expect(outcome.code).toBe(1);
    const json = jsonOf(outcome);
    expect(json.error?.message).toBe(`I can't read "${harness.keyFile}": it is the master-key file, which scripts never reach.`);
    expect(json.runId).toBeDefined();
    harness.expectNoKeyIn(outcome);
    expect(filesUnder(harness.workspace).map((file) => file.slice(harness.workspace.length))).toEqual(expect.arrayContaining([`/runs/${json.runId}/journal.jsonl`, `/runs/${json.runId}/run.json`]));
    harness.expectNoKeyInWorkspace();
  });

  it("the key file is never reached even when it lies under the files root", async () => {
    harness.environment.PROSE_KEY_FILE = harness.file("master.key", `${harness.keyText}\n`);
    const outcome = await harness.run(harness.file("read-key.prose", `read the file "master.key"\nsay the file\n`), "--json");
    expect(jsonOf(outcome).error?.message).toBe(`I can't read "master.key": it is the master-key file, which scripts never reach.`);
    harness.expectNoKeyIn(outcome);
    harness.expectNoKeyInWorkspace();
  });

  it("a hard link to the key file, or a link into /proc, reads nothing", async () => {
    linkSync(harness.keyFile, join(harness.project, "copy.txt"));
    symlinkSync("/proc/self/environ", join(harness.project, "environment.txt"));
    symlinkSync("/proc/self/fd/0", join(harness.project, "input.txt"));
    for (const [path, reason] of [
      ["copy.txt", "it is the master-key file (by another name), which scripts never reach"],
      ["environment.txt", "it is under /proc, which scripts never reach"],
    ]) {
      const outcome = await harness.run(harness.file("read.prose", `read the file "${path}"\nsay the file's text\n`), "--json");
      expect(jsonOf(outcome).error?.message).toBe(`I can't read "${path}": ${reason}.`);
      harness.expectNoKeyIn(outcome);
    }
    const standardInput = await harness.run(harness.file("read.prose", `read the file "input.txt"\nsay the file's text\n`), "--json");
    expect(jsonOf(standardInput).status).toBe("failed");
    expect(jsonOf(standardInput).error?.message).not.toContain("internal error");
    harness.expectNoKeyInWorkspace();
  });

  it("`read the file \"/proc/self/environ\"` and the devices are refused", async () => {
    harness.environment.PROSE_MASTER_KEY = harness.keyText;
    for (const path of ["/proc/self/environ", "/proc/self/cmdline", "/dev/stdin", "/sys/kernel/hostname"]) {
      const outcome = await harness.run(harness.file("proc.prose", `read the file "${path}"\nsay the file\n`), "--json", "--allow-read", "/");
      const json = jsonOf(outcome);
      expect(json.status, path).toBe("failed");
      expect(json.error?.message, path).toMatch(new RegExp(`^I can't read "${path}": it is under /(proc|dev|sys), which scripts never reach\\.$`));
      expect(json.output).toEqual([]);
      harness.expectNoKeyIn(outcome);
    }
    harness.expectNoKeyInWorkspace();
  });

  it("`--input name=@<key file>` is refused without showing the key", async () => {
    const script = harness.file("input.prose", "say the key\n");
    for (const args of [[], ["--allow-read", join(harness.folder, "keys")]]) {
      const outcome = await harness.run(script, "--input", `key=@${harness.keyFile}`, ...args);
      expect(outcome.code).toBe(2);
      expect(outcome.err[0]).toBe(`error: --input key: I can't read "${harness.keyFile}": it is the master-key file, which scripts never reach.`);
      harness.expectNoKeyIn(outcome);
    }
  });
});
