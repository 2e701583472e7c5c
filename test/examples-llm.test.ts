import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { openAiCompletion, startOpenAiServer } from "./support/openai-server.js";
import type { ScriptedServer } from "./support/scripted-server.js";

/**
 * Golden tests of the LLM examples: each runs through the real CLI and the real OpenAI SDK
 * against a local server that answers with the responses recorded in its expectation file.
 */
const folder = join(dirname(fileURLToPath(import.meta.url)), "..", "examples", "llm");
const scripts = readdirSync(folder).filter((name) => name.endsWith(".prose")).sort();

interface Expectation {
  responses: Array<{ json: unknown } | { text: string }>;
  exitCode: number;
  stdout: string;
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

  for (const script of scripts) {
    it(script, async () => {
      const expected = JSON.parse(readFileSync(join(folder, "expected", `${basename(script, ".prose")}.json`), "utf8")) as Expectation;
      const before = server.requests.length;
      for (const response of expected.responses) server.enqueue(openAiCompletion("json" in response ? JSON.stringify(response.json) : response.text));
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(["run", join(folder, script)], { out: (line) => out.push(line), err: (line) => err.push(line) }, { OPENAI_API_KEY: "sk-example-key", OPENAI_BASE_URL: `${server.url}/v1`, PROSE_HOME: workspace });
      expect(err.join("\n")).toBe("");
      expect(out.map((line) => `${line}\n`).join("")).toBe(expected.stdout);
      expect(code).toBe(expected.exitCode);
      expect(server.requests.length - before).toBe(expected.responses.length);
    });
  }
});
