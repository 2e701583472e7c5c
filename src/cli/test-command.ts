import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { locateWorkspace } from "../byom/workspace.js";
import { filesPolicyFor, type FilesFlags } from "./files-policy.js";
import { MemoryJournal } from "../runtime/journal.js";
import type { CliServices } from "./cli-services.js";
import type { ModelResolver } from "../llm/model-resolver.js";
import { runTestFile, type ScriptRunSetup, type TestFileResult } from "./prose-test/run-test-file.js";
import { readTestJournals, replayOnlyModels, testJournalFile, writeTestJournals } from "./prose-test/test-journal.js";
import { runAgent } from "../session/agent-name.js";
import { routedModels, type RoutedModels } from "../session/routed-models.js";
import { UsageError } from "./usage-error.js";
import type { Writer } from "./writer.js";
import { runWeb } from "./run-web.js";

export interface TestOptions extends FilesFlags {
  /** Run the scripts' model calls for real (and keep them for replay). */
  record: boolean;
  agent?: string;
  workspace?: string;
  /** `--allow-net HOST`…: the hosts the scripts' web requests may reach (none without it). */
  allowNet?: string[];
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
  const agent = runAgent(options.agent);
  // The tests and the scripts they run read inside the folder tested (or --files) and the allowed folders.
  const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory });
  const root = statSync(start).isDirectory() ? start : dirname(start);
  const web = runWeb({ allowNet: options.allowNet ?? [], workspace, agent, environment: options.environment, services: options.services ?? {} });
  const policy = filesPolicyFor(options, { root, origin: "the folder tested", currentDirectory, workspace, environment: options.environment });
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const journals = new Map<string, MemoryJournal>();
    const routed: RoutedModels[] = [];
    const result = await runTestFile(file, { ...scriptSetup(options, agent, testJournalFile(file), journals, routed), web }, policy);
    // A recording run's usage records are on disk before its file's results are told.
    await Promise.all(routed.map((models) => models.flush()));
    show(result, currentDirectory, writer);
    if (options.record) recordJournals(testJournalFile(file), journals, currentDirectory, writer);
    for (const testCase of result.cases) (testCase.failures.length === 0 ? (passed += 1) : (failed += 1));
    if (result.problems.length > 0) failed += 1;
  }
  const summary = `${passed} passed, ${failed} failed (${files.length} file${files.length === 1 ? "" : "s"})`;
  if (failed > 0) writer.err(summary);
  else writer.out(summary);
  return failed > 0 ? 1 : 0;
}

/**
 * Recording, each test's model calls go to the provider and into a journal of its own; replaying,
 * they come from the journal recorded beside the test file, and one it lacks fails the test.
 */
function scriptSetup(options: TestOptions, agent: string, journalPath: string, journals: Map<string, MemoryJournal>, routed: RoutedModels[]): ScriptRunSetup {
  const recorded = options.record ? new Map() : readTestJournals(journalPath);
  return {
    forTest: (testName) => {
      const journal = new MemoryJournal(recorded.get(testName) ?? []);
      journals.set(testName, journal);
      let missing = 0;
      const models = options.record ? recordingModels(agent, options, routed) : replayOnlyModels(() => (missing += 1));
      return { journal, models, missingModelCalls: () => missing };
    },
  };
}

/** The agent's models through the router (the session's one way to make it); warnings go to standard error. */
function recordingModels(agent: string, options: TestOptions, routed: RoutedModels[]): ModelResolver {
  const models = routedModels({ agent, environment: options.environment, warn: (message) => process.stderr.write(`warning: ${message}\n`), ...(options.workspace === undefined ? {} : { workspace: options.workspace }), ...(options.services ? { services: options.services } : {}) });
  routed.push(models);
  return models.resolver;
}

/**
 * Only model results are kept: file reads and the clock stay live, so a test sees its fixtures as
 * they are now (a changed file changes the model request, and the test asks to record again).
 */
function recordJournals(path: string, journals: ReadonlyMap<string, MemoryJournal>, currentDirectory: string, writer: Writer): void {
  const models = new Map([...journals].map(([test, journal]) => [test, new MemoryJournal(journal.records.filter((record) => record.kind === "model"))]));
  const count = [...models.values()].reduce((total, journal) => total + journal.records.length, 0);
  writeTestJournals(path, models);
  writer.out(`  recorded ${count} model call${count === 1 ? "" : "s"} in ${relative(currentDirectory, path) || path}`);
}

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
