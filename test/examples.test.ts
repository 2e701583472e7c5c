import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import type { Writer } from "../src/cli/writer.js";

/**
 * Golden tests of the examples. Each `examples/<name>.prose` has an expectation
 * `examples/expected/<name>.json`, and may have more runs as `examples/expected/<name>.<run>.json`
 * (the same script with answers, with --json, …). An expectation holds:
 *
 * - `args`: what follows `prose run <script>` (or `prose check <script>` with `"command": "check"`);
 * - `exitCode`;
 * - `stdout`: the exact output, lines joined with "\n" (unless `json` is given);
 * - `stderr` (exact) or `stderrContains` (parts); with neither, stderr must be empty;
 * - `json`: a partial object the --json output must match;
 * - `files`: files the run must have written, with their exact contents.
 *
 * `{tmp}` in any of them stands for a fresh temporary folder, `{root}` for the repository's
 * root (messages that show an absolute path), `{run}` for the run's id. Each run keeps its
 * journal in a workspace of its own (PROSE_HOME in the temporary folder). Scripts run through `main` in this
 * process, from the repository's root, so paths read the same wherever vitest was started.
 * `PROSE_UPDATE_EXAMPLES=1 npx vitest run test/examples.test.ts` rewrites the exit codes and
 * outputs from the actual runs (read the diff before committing it).
 */

interface Expectation {
  description?: string;
  command?: "run" | "check";
  args?: string[];
  exitCode: number;
  stdout?: string;
  stderr?: string;
  stderrContains?: string[];
  json?: Record<string, unknown>;
  files?: Record<string, string>;
}

interface Case {
  /** As shown in the test's name: `coupon-check` or `coupon-check.answered`. */
  name: string;
  /** The script, relative to the repository's root. */
  script: string;
  expectationPath: string;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const rootFolder = root.replace(/[\\/]$/, "");
const examplesFolder = join(root, "examples");
const expectedFolder = join(examplesFolder, "expected");
const checkFixturesFolder = join(root, "test", "fixtures", "check");
const updating = process.env.PROSE_UPDATE_EXAMPLES === "1";

const examples = readdirSync(examplesFolder).filter((file) => file.endsWith(".prose")).map((file) => basename(file, ".prose")).sort();
const expectationFiles = readdirSync(expectedFolder).filter((file) => file.endsWith(".json")).sort();
const libraries = readdirSync(join(examplesFolder, "lib")).filter((file) => file.endsWith(".prose")).sort();

function casesIn(folder: string, scripts: string[], scriptFolder: string, expectations: string[]): Case[] {
  return expectations.flatMap((file) => {
    const name = basename(file, ".json");
    const script = name.split(".")[0];
    if (!scripts.includes(script)) return [];
    return [{ name, script: `${scriptFolder}/${script}.prose`, expectationPath: join(folder, file) }];
  });
}

const exampleCases = casesIn(expectedFolder, examples, "examples", expectationFiles);
const checkFixtures = readdirSync(checkFixturesFolder).filter((file) => file.endsWith(".prose")).map((file) => basename(file, ".prose"));
const fixtureCases = casesIn(
  checkFixturesFolder,
  checkFixtures,
  "test/fixtures/check",
  readdirSync(checkFixturesFolder).filter((file) => file.endsWith(".json")),
);
/**
 * Regression scripts (`test/regressions/NAME.prose`, expectations in `test/regressions/expected/NAME[.run].json`):
 * scripts written the way people write them, each of which once failed or gave a wrong answer.
 */
const regressionsFolder = join(root, "test", "regressions");
const regressionScripts = readdirSync(regressionsFolder).filter((file) => file.endsWith(".prose")).map((file) => basename(file, ".prose")).sort();
const regressionExpectations = readdirSync(join(regressionsFolder, "expected")).filter((file) => file.endsWith(".json")).sort();
const regressionCases = casesIn(join(regressionsFolder, "expected"), regressionScripts, "test/regressions", regressionExpectations);

interface Captured {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function runCli(argv: string[], workspace?: string): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const writer: Writer = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const exitCode = await main(argv, writer, workspace === undefined ? process.env : { ...process.env, PROSE_HOME: workspace });
  const runIds = (text: string) => text.replace(/\brun-\d{8}T\d{6}-[a-z0-9]{6}\b/g, "{run}");
  return { exitCode, stdout: runIds(out.join("\n")), stderr: runIds(err.join("\n")) };
}

/** Replaces `{tmp}` and `{root}` everywhere in a JSON-like value. */
function withFolders<T>(value: T, folder: string): T {
  const escaped = (path: string) => JSON.stringify(path).slice(1, -1);
  return JSON.parse(JSON.stringify(value).replaceAll("{tmp}", escaped(folder)).replaceAll("{root}", escaped(rootFolder))) as T;
}

let previousFolder: string;
let previousIsTTY: boolean | undefined;

beforeAll(() => {
  previousFolder = process.cwd();
  process.chdir(root);
  // The runs are headless even when vitest was started at a terminal: questions make them wait.
  previousIsTTY = process.stdin.isTTY;
  Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true, writable: true });
});

afterAll(() => {
  process.chdir(previousFolder);
  Object.defineProperty(process.stdin, "isTTY", { value: previousIsTTY, configurable: true, writable: true });
});

describe("examples", () => {
  it("every example has an expectation, and every expectation an example", () => {
    const expected = new Set(expectationFiles.map((file) => file.split(".")[0]));
    expect(examples.filter((name) => !expected.has(name)).map((name) => `examples/expected/${name}.json is missing`)).toEqual([]);
    expect(examples.length).toBeGreaterThanOrEqual(10);
    const orphans = expectationFiles.filter((file) => !examples.includes(file.split(".")[0]));
    expect(orphans.map((file) => `examples/expected/${file} has no example`)).toEqual([]);
  });

  it("every example and learned library passes `prose check`", async () => {
    const files = [...examples.map((name) => `examples/${name}.prose`), ...libraries.map((file) => `examples/lib/${file}`)];
    const result = await runCli(["check", ...files]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });

  it("every regression script has an expectation, and every expectation a script", () => {
    const expected = new Set(regressionExpectations.map((file) => file.split(".")[0]));
    expect(regressionScripts.filter((name) => !expected.has(name)).map((name) => `test/regressions/expected/${name}.json is missing`)).toEqual([]);
    const orphans = regressionExpectations.filter((file) => !regressionScripts.includes(file.split(".")[0]));
    expect(orphans.map((file) => `test/regressions/expected/${file} has no script`)).toEqual([]);
  });

  for (const example of [...exampleCases, ...fixtureCases, ...regressionCases]) {
    it(example.name, async () => {
      const written = JSON.parse(readFileSync(example.expectationPath, "utf8")) as Expectation;
      const folder = mkdtempSync(join(tmpdir(), "prose-example-"));
      try {
        const expectation = withFolders(written, folder);
        const result = await runCli([expectation.command ?? "run", example.script, ...(expectation.args ?? [])], join(folder, ".prose-home"));
        if (updating) {
          update(example.expectationPath, written, result, folder);
          return;
        }
        compare(expectation, result);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  }
});

function compare(expectation: Expectation, result: Captured): void {
  const shown = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  if (expectation.json) {
    let parsed: unknown;
    expect(() => (parsed = JSON.parse(result.stdout)), `the output is not JSON:\n${shown}`).not.toThrow();
    expect(parsed).toMatchObject(expectation.json);
  } else {
    expect(result.stdout, shown).toBe(expectation.stdout ?? "");
  }
  if (expectation.stderrContains) {
    for (const part of expectation.stderrContains) expect(result.stderr).toContain(part);
  } else {
    expect(result.stderr, shown).toBe(expectation.stderr ?? "");
  }
  for (const [path, contents] of Object.entries(expectation.files ?? {})) {
    expect(readFileSync(path, "utf8"), `the file ${path}`).toBe(contents);
  }
  expect(result.exitCode, shown).toBe(expectation.exitCode);
}

function update(path: string, written: Expectation, result: Captured, folder: string): void {
  const unTemporary = (text: string) => text.replaceAll(folder, "{tmp}").replaceAll(rootFolder, "{root}");
  const next: Expectation = { ...written, exitCode: result.exitCode };
  if (!written.json) next.stdout = unTemporary(result.stdout);
  if (!written.stderrContains) {
    if (result.stderr === "") delete next.stderr;
    else next.stderr = unTemporary(result.stderr);
  }
  for (const file of Object.keys(written.files ?? {})) {
    next.files![file] = readFileSync(file.replaceAll("{tmp}", folder), "utf8");
  }
  writeFileSync(path, `${JSON.stringify(next, null, 2)}\n`);
}
