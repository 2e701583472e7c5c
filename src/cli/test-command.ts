import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ModelResolutionError, type ModelResolver } from "../llm/model-resolver.js";
import type { CliServices } from "./cli-services.js";
import { runTestFile, type ScriptRunSetup, type TestFileResult } from "./prose-test/run-test-file.js";
import { agentOf, byomModels } from "./run-command.js";
import { UsageError } from "./usage-error.js";
import type { Writer } from "./writer.js";

export interface TestOptions {
  /** Run the scripts' model calls for real (and keep them for replay). */
  record: boolean;
  agent?: string;
  workspace?: string;
  environment: NodeJS.ProcessEnv;
  services?: CliServices;
}

/**
 * `prose test [DIR]`: runs every `*.test.prose` under DIR (or the one file given). Exit 0 when
 * every test passes, 1 otherwise (a failed expectation, a test file with problems, no tests).
 */
export async function testCommand(target: string, options: TestOptions, writer: Writer): Promise<number> {
  const currentDirectory = options.services?.currentDirectory ?? process.cwd();
  const start = resolve(currentDirectory, target);
  const files = testFiles(start, target).sort();
  if (files.length === 0) {
    writer.err(`No *.test.prose files found in "${target}".`);
    return 1;
  }
  const agent = agentOf(options);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const result = await runTestFile(file, scriptSetup(options, agent));
    show(result, currentDirectory, writer);
    for (const testCase of result.cases) (testCase.failures.length === 0 ? (passed += 1) : (failed += 1));
    if (result.problems.length > 0) failed += 1;
  }
  const summary = `${passed} passed, ${failed} failed (${files.length} file${files.length === 1 ? "" : "s"})`;
  if (failed > 0) writer.err(summary);
  else writer.out(summary);
  return failed > 0 ? 1 : 0;
}

/** Model calls: real ones when recording; otherwise none (replayed from a journal, when one is recorded). */
function scriptSetup(options: TestOptions, agent: string): ScriptRunSetup {
  if (options.record) return { models: () => byomModels(agent, options) };
  return { models: () => refusingModels };
}

const refusingModels: ModelResolver = {
  resolve: () => Promise.reject(new ModelResolutionError("`prose test` calls no model: this script's model calls have not been recorded. Run `prose test --record` to record them from a real run.")),
};

function testFiles(path: string, written: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new UsageError(`I can't find ${written}.`, "Give a folder that holds *.test.prose files, or one such file.");
  }
  if (!stats.isDirectory()) return [path];
  const found: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(child, child));
    else if (entry.name.endsWith(".test.prose")) found.push(child);
  }
  return found;
}

function show(result: TestFileResult, currentDirectory: string, writer: Writer): void {
  const shown = (file: string) => relative(currentDirectory, file) || file;
  writer.out(shown(result.file));
  for (const problem of result.problems) writer.err(problem.replaceAll(result.file, shown(result.file)));
  for (const testCase of result.cases) {
    if (testCase.failures.length === 0) {
      writer.out(`  pass  ${testCase.name}`);
      continue;
    }
    writer.out(`  FAIL  ${testCase.name}`);
    for (const failure of testCase.failures) {
      writer.out(`    ${failure.at.replace(result.file, shown(result.file))}: ${failure.line}`);
      if (failure.message) for (const line of failure.message.split("\n")) writer.out(`      ${line}`);
      if (failure.expected !== undefined) writer.out(`      expected: ${failure.expected}`);
      if (failure.actual !== undefined) writer.out(`      actual:   ${failure.actual}`);
    }
  }
}
