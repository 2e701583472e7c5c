import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { openAiCompletion, startOpenAiServer } from "../support/openai-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";
import { RUN_ID, stepsOf, type DocStep } from "../support/doc-examples.js";

/**
 * The examples of the README, the reference and the tutorial, run as a reader would run them: each page gets
 * a fresh folder (the files its fences name are written there, in order) and runs `prose` in it
 * through `main`, headless, with the OpenAI variables pointing at a local emulator that gives
 * the answers written in `<!-- model answers: … -->` comments. The conventions are in
 * test/support/doc-examples.ts and at the end of docs/language.md.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const pages = ["README.md", "docs/language.md", "docs/tutorial.md"];

let server: ScriptedServer;
let previousFolder: string;
let previousIsTTY: boolean | undefined;
const folders: string[] = [];
/** The model's answers for the command running now: each step starts with its own, so a failed step leaves none behind. */
let modelAnswers: string[] = [];

beforeAll(async () => {
  server = await startOpenAiServer();
  server.route("/v1/chat/completions", () => {
    const answer = modelAnswers.shift();
    return answer === undefined ? { status: 400, body: JSON.stringify({ error: { message: "this example has no model answer left" } }) } : openAiCompletion(answer);
  });
  previousFolder = process.cwd();
  previousIsTTY = process.stdin.isTTY;
  Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true, writable: true });
});

afterAll(async () => {
  process.chdir(previousFolder);
  Object.defineProperty(process.stdin, "isTTY", { value: previousIsTTY, configurable: true, writable: true });
  await server.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** What a terminal shows of one `prose` command: its output and error lines, in the order written. */
async function prose(argv: string[], folder: string): Promise<{ shown: string; code: number }> {
  const lines: string[] = [];
  process.chdir(folder);
  try {
    const code = await main(argv, { out: (line) => lines.push(line), err: (line) => lines.push(line) }, {
      PATH: process.env.PATH ?? "",
      PROSE_HOME: join(folder, ".prose"),
      OPENAI_API_KEY: "sk-docs-example",
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    return { shown: lines.join("\n"), code };
  } finally {
    process.chdir(previousFolder);
  }
}

const withoutRunIds = (text: string) => text.replace(RUN_ID, "run-…");

for (const page of pages) {
  describe(page, () => {
    const steps = stepsOf(readFileSync(join(root, page), "utf8"));
    let folder: string;
    /** The last run id a command showed: `--resume run-…` in the page means that run. */
    let lastRunId: string | undefined;

    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), "prose-docs-"));
      folders.push(folder);
    });

    it("has runnable examples, and every fence follows the conventions", () => {
      expect(steps.filter((step) => step.kind === "run").length).toBeGreaterThanOrEqual({ "README.md": 1, "docs/tutorial.md": 10 }[page] ?? 30);
      const unchecked = steps.filter((step): step is Extract<DocStep, { kind: "unchecked" }> => step.kind === "unchecked");
      expect(unchecked.map((step) => `${page}:${step.line}: ${step.why}`)).toEqual([]);
    });

    for (const step of steps) {
      if (step.kind === "write") {
        it(`${page}:${step.line} writes ${step.file}`, () => {
          mkdirSync(dirname(join(folder, step.file)), { recursive: true });
          writeFileSync(join(folder, step.file), step.text);
        });
      } else if (step.kind === "check") {
        it(`${page}:${step.line} passes prose check`, async () => {
          const result = await prose(["check", step.file], folder);
          expect(result.shown).toBe(`${step.file}: no problems found`);
          expect(result.code).toBe(0);
        });
      } else if (step.kind === "run") {
        it(`${page}:${step.line} prose ${step.argv.join(" ")}`, async () => {
          const argv = step.argv.map((word) => (new RegExp(RUN_ID.source).test(word) && lastRunId !== undefined ? word.replace(RUN_ID, lastRunId) : word));
          const before = server.requests.length;
          modelAnswers = [...step.modelAnswers];
          const result = await prose(argv, folder);
          lastRunId = result.shown.match(RUN_ID)?.[0] ?? lastRunId;
          expect(withoutRunIds(result.shown), `exit code ${result.code}`).toBe(withoutRunIds(step.expected));
          expect(server.requests.length - before, "model calls").toBe(step.modelAnswers.length);
        });
      }
    }
  });
}
