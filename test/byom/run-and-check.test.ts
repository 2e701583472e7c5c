import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAiCompletion } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { ByomHarness } from "../support/byom-harness.js";

const botKey = "sk-run-bot-0123456789abcdefghijklmn";
const environmentKey = "sk-run-environment-0123456789abcdefgh";

let harness: ByomHarness;
let server: ScriptedServer;
let id: string;

beforeEach(async () => {
  harness = await ByomHarness.create();
  server = await startScriptedServer();
  harness.environment = { BOT_KEY: botKey };
  id = await harness.add("openai", "--agent", "bot", "--name", "bot main", "--base-url", `${server.url}/v1`, "--model", "gpt-4.1-mini", "--api-key-env", "BOT_KEY");
});
afterEach(async () => {
  await server.close();
  await harness.dispose();
});

async function script(name: string, source: string): Promise<string> {
  const path = join(harness.folder, name);
  await writeFile(path, source);
  return path;
}

describe("prose run --agent", () => {
  it("calls the agent's provider with its stored key, and labels the usage with the agent and project", async () => {
    const path = await script("hello.prose", 'ask the model "Say hello"\nsay the answer\n');
    server.enqueue(openAiCompletion("Hello!"));
    const outcome = await harness.prose("run", path, "--agent", "bot", "--project", "q4-invoices", "--json");
    expect(outcome.code).toBe(0);
    const json = JSON.parse(outcome.out[0]) as { output: string[]; usage: Record<string, unknown> };
    expect(json.output).toEqual(["Hello!"]);
    expect(json.usage).toMatchObject({ agent: "bot", project: "q4-invoices", modelCalls: 1 });
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${botKey}`);
  });

  it("finds the workspace from --workspace too", async () => {
    const path = await script("hello.prose", 'ask the model "Say hello"\nsay the answer\n');
    server.enqueue(openAiCompletion("Hi"));
    const outcome = await harness.prose("run", path, "--agent", "bot", "--workspace", harness.workspace);
    expect(outcome).toEqual({ code: 0, out: ["Hi"], err: [] });
  });

  it("falls back to the environment for an agent without providers", async () => {
    harness.environment = { OPENAI_API_KEY: environmentKey, OPENAI_BASE_URL: `${server.url}/v1` };
    const path = await script("hello.prose", 'ask the model "Say hello"\nsay the answer\n');
    server.enqueue(openAiCompletion("From the environment"));
    expect((await harness.prose("run", path)).out).toEqual(["From the environment"]);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${environmentKey}`);
  });

  it("fails a call naming an unknown provider, listing the agent's ids", async () => {
    const path = await script("unknown.prose", 'ask the model "Say hello"\n    the model provider is "openai-typo"\nsay the answer\n');
    const outcome = await harness.prose("run", path, "--agent", "bot");
    expect(outcome.code).toBe(1);
    expect(outcome.err.join("\n")).toContain(`The agent "bot" has no model provider "openai-typo"; its providers are "${id}".`);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses an agent name that cannot be a file name", async () => {
    const path = await script("plain.prose", "say 1\n");
    expect(await harness.prose("run", path, "--agent", "a/b")).toMatchObject({ code: 2, err: ['error: "a/b" cannot be an agent name.', expect.any(String)] });
  });
});

describe("prose check --agent", () => {
  it("reports a `the model provider is` that is not one of the agent's ids, listing them", async () => {
    const path = await script("check.prose", 'ask the model "Say hello"\n    the model provider is "openai-bot-main"\nsay the answer\n');
    const outcome = await harness.prose("check", path, "--agent", "bot");
    expect(outcome.code).toBe(2);
    const report = outcome.err.join("\n");
    expect(report).toContain(`${path}:2:27: error: "openai-bot-main" is not one of the agent's model providers; the agent's providers are "${id}".`);
    expect(report).toContain("fix: use one of its ids (`prose byom list`), or add the provider with `prose byom add <type>`.");
  });

  it("accepts the agent's ids, and checks nothing about providers without --agent", async () => {
    const good = await script("good.prose", `ask the model "Say hello"\n    the model provider is "${id}"\nsay the answer\n`);
    expect(await harness.prose("check", good, "--agent", "bot")).toEqual({ code: 0, out: [`${good}: no problems found`], err: [] });
    const other = await script("other.prose", 'ask the model "Say hello"\n    the model provider is "whatever"\nsay the answer\n');
    expect((await harness.prose("check", other)).code).toBe(0);
    expect((await harness.prose("check", other, "--agent", "nobody")).err.join("\n")).toContain('"whatever" is not one of the agent\'s model providers; the agent has no model providers yet.');
  });
});
