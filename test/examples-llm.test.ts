import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { openAiCompletion, startOpenAiServer } from "./support/openai-server.js";
import type { ScriptedServer } from "./support/scripted-server.js";

/**
 * Golden tests of the LLM examples (`examples/llm/`) and of the LLM regression scripts
 * (`test/regressions/llm/`, scripts that once gave a wrong answer through a model): each runs
 * through the real CLI and the real OpenAI SDK against a local server that answers with the
 * responses recorded in its expectation file (`expected/NAME.json`), which holds:
 *
 * - `responses`: the model's answers, in order (`{json}` or `{text}`, with an optional
 *   `finishReason`, e.g. `"length"` for an answer cut by its bound);
 * - `args`: what follows `prose run <script>` (`--json`, `--input …`, `--answer …`);
 * - `exitCode`, and `stdout` (exact) or `json` (a partial `--json` object: output and facts);
 * - `sent`: what the model must have received, per request (0-based): `contains`, texts the
 *   request's JSON body must hold, and `body`, a partial body (`{"temperature": 0}`).
 */
const folder = join(dirname(fileURLToPath(import.meta.url)), "..", "examples", "llm");
const scripts = readdirSync(folder).filter((name) => name.endsWith(".prose")).sort();
const regressionFolder = join(dirname(fileURLToPath(import.meta.url)), "regressions", "llm");
const regressions = readdirSync(regressionFolder).filter((name) => name.endsWith(".prose")).sort();

interface Expectation {
  description?: string;
  responses: Array<({ json: unknown } | { text: string }) & { finishReason?: string }>;
  args?: string[];
  exitCode: number;
  stdout?: string;
  json?: Record<string, unknown>;
  sent?: Array<{ request: number; contains?: string[]; body?: Record<string, unknown> }>;
}

let server: ScriptedServer;
/** Where the runs keep their journals. */
let workspace: string;
beforeAll(async () => {
  server = await startOpenAiServer();
  workspace = mkdtempSync(join(tmpdir(), "prose-llm-examples-"));
});
afterAll(async () => {
  await server.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe("LLM examples", () => {
  it("has an expectation for every example", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const script of scripts) expect(readdirSync(join(folder, "expected"))).toContain(`${basename(script, ".prose")}.json`);
  });

  for (const script of scripts) it(script, () => runGolden(folder, script));
});

describe("LLM regression scripts", () => {
  it("has an expectation for every script, and a script for every expectation", () => {
    const expected = readdirSync(join(regressionFolder, "expected")).filter((name) => name.endsWith(".json"));
    expect(regressions.map((script) => `${basename(script, ".prose")}.json`).sort()).toEqual(expected.sort());
  });

  for (const script of regressions) it(script, () => runGolden(regressionFolder, script));

  it("every LLM example and LLM regression script passes `prose check`", async () => {
    const err: string[] = [];
    const files = [...scripts.map((script) => join(folder, script)), ...regressions.map((script) => join(regressionFolder, script))];
    const code = await main(["check", ...files], { out: () => undefined, err: (line) => err.push(line) }, { PROSE_HOME: workspace });
    expect(err.join("\n")).toBe("");
    expect(code).toBe(0);
  });
});

async function runGolden(scriptFolder: string, script: string): Promise<void> {
  const expected = JSON.parse(readFileSync(join(scriptFolder, "expected", `${basename(script, ".prose")}.json`), "utf8")) as Expectation;
  const before = server.requests.length;
  for (const response of expected.responses) {
    const content = "json" in response ? JSON.stringify(response.json) : response.text;
    server.enqueue(openAiCompletion(content, response.finishReason === undefined ? {} : { finishReason: response.finishReason }));
  }
  const out: string[] = [];
  const err: string[] = [];
  const environment = { OPENAI_API_KEY: "sk-example-key", OPENAI_BASE_URL: `${server.url}/v1`, PROSE_HOME: workspace };
  const code = await main(["run", join(scriptFolder, script), ...(expected.args ?? [])], { out: (line) => out.push(line), err: (line) => err.push(line) }, environment);
  const shown = `stdout:\n${out.join("\n")}\nstderr:\n${err.join("\n")}`;
  if (expected.json) {
    expect(JSON.parse(out.join("\n")), shown).toMatchObject(expected.json);
  } else {
    expect(err.join("\n"), shown).toBe("");
    expect(out.map((line) => `${line}\n`).join(""), shown).toBe(expected.stdout ?? "");
  }
  expect(code, shown).toBe(expected.exitCode);
  const sent = server.requests.slice(before);
  expect(sent.length, shown).toBe(expected.responses.length);
  for (const check of expected.sent ?? []) {
    const body = sent[check.request]?.body;
    for (const part of check.contains ?? []) expect(JSON.stringify(body), `request ${check.request}`).toContain(JSON.stringify(part).slice(1, -1));
    if (check.body) expect(body, `request ${check.request}`).toMatchObject(check.body);
  }
}
