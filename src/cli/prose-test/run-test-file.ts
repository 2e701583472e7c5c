import { readFileSync } from "node:fs";
import type { CheckedProgram } from "../../check/check-script.js";
import type { ModelResolver } from "../../llm/model-resolver.js";
import type { Journal } from "../../runtime/journal.js";
import { factToJson } from "../../runtime/display.js";
import { RuntimeError } from "../../runtime/errors.js";
import { AnswerBook } from "../../runtime/questions.js";
import type { RunContext } from "../../runtime/run-context.js";
import { compileScript, compileSource, inReadingOrder } from "../../session/compile-script.js";
import { RunSession } from "../../session/run-session.js";
import { runCompiled } from "../../session/run-script.js";
import type { RunHost } from "../../session/run-host.js";
import { Fact, list, NOTHING, text } from "../../runtime/values.js";
import type { CallStatement, Statement } from "../../syntax/ast.js";
import { error, hasErrors, type Diagnostic } from "../../syntax/diagnostic.js";
import { formatDiagnostic } from "../../syntax/format-diagnostic.js";
import type { Span } from "../../syntax/span.js";
import { confinedSourceLoader, readConfined, readSourceConfined } from "../confined-files.js";
import { listConfined } from "../confined-folders.js";
import type { FilesPolicy } from "../files-policy.js";
import { notRecordedMessage } from "./test-journal.js";
import { testPhrasebook, type TestActions } from "./test-phrasebook.js";

/** One failed expectation or problem of a test, at a place in the test file. */
export interface TestFailure {
  /** `invoices.test.prose:7` */
  at: string;
  /** The line of the test file, as written. */
  line: string;
  message?: string;
  expected?: string;
  actual?: string;
}

export interface TestCaseResult {
  name: string;
  at: string;
  failures: TestFailure[];
  /** How many expectations held. */
  passed: number;
}

export interface TestFileResult {
  file: string;
  /** Problems that keep the file from running at all (syntax, unknown sentences), formatted. */
  problems: string[];
  cases: TestCaseResult[];
}

/** How a script under test reaches models: recording them, or replaying them from a journal. */
export interface ScriptRunSetup {
  /** The journal and models of one test's run; asked once per `run the script`. */
  forTest(testName: string): { journal?: Journal; models: ModelResolver; missingModelCalls(): number };
  /** Web requests (with `prose test --allow-net`) and the agent's named secrets. */
  web?: Pick<RunContext, "request" | "hasSecret">;
}

interface TestCase {
  name: string;
  span: Span;
  setup: Statement[];
  expectations: CallStatement[];
}

interface ScriptRun {
  status: string;
  output: string[];
  error: string | null;
  questions: string[];
  facts: ReadonlyMap<string, Fact>;
  modelCalls: number;
}

/**
 * Runs every test of one `*.test.prose` file. Its lines are parsed with the Prose grammar and
 * resolved against the standard library plus the test sentences (test-phrasebook.ts). Each test
 * runs its setup lines (`with the input`, `answer`, `run the script`), then checks each
 * `expect` line on its own against the run's facts and `the output`, `the status`, `the error`,
 * `the questions` and `the facts` (the script's own facts, as a record).
 */
export async function runTestFile(file: string, setup: ScriptRunSetup, files: FilesPolicy): Promise<TestFileResult> {
  const source = readFileSync(file, "utf8");
  const result: TestFileResult = { file, problems: [], cases: [] };
  let current: { inputs: Map<string, Fact>; answers: AnswerBook; run?: ScriptRun; result: TestCaseResult; name: string } | undefined;
  const actions: TestActions = {
    input: (name, value) => current!.inputs.set(name, value),
    answer: (question, value) => current!.answers.add(question, { value: value.value.kind === "text" ? value.value.text : factToJson(value) }),
    runScript: async (path, block, span) => {
      for (const [name, fact] of block) current!.inputs.set(name, fact);
      current!.run = await runScript(path, current!.inputs, current!.answers, setup, current!.name, span, current!.result, source, files);
    },
    expectation: (span, passed, expected, actual) => {
      if (passed) current!.result.passed += 1;
      else current!.result.failures.push({ ...place(span, source), expected, actual });
    },
  };
  const phrasebook = testPhrasebook(actions);
  const program = compileSource(source, file, { loadSource: () => undefined, phrasebook });
  const cases = splitCases(program);
  const diagnostics = inReadingOrder([...program.diagnostics, ...cases.diagnostics], file);
  if (hasErrors(diagnostics)) {
    result.problems = diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, source));
    return result;
  }
  for (const testCase of cases.cases) {
    const caseResult: TestCaseResult = { name: testCase.name, at: place(testCase.span, source).at, failures: [], passed: 0 };
    result.cases.push(caseResult);
    current = { inputs: new Map(), answers: new AnswerBook(), result: caseResult, name: testCase.name };
    const setupSession = new RunSession(quietContext(files), { phrasebook });
    const ran = await setupSession.runChecked(program, testCase.setup);
    if (ran.error) caseResult.failures.push({ ...place(ran.error.span ?? testCase.span, source), message: ran.error.message });
    if (ran.status === "waiting") caseResult.failures.push({ ...place(testCase.span, source), message: `A line of the test needs a fact it does not set: ${ran.questions?.map((question) => question.text).join(" ")}` });
    const run = current.run;
    if (!run) {
      if (caseResult.failures.length === 0) caseResult.failures.push({ ...place(testCase.span, source), message: 'This test runs no script: add a line such as `run the script "invoice.prose"`.' });
      continue;
    }
    await checkExpectations(testCase, run, program, phrasebook, caseResult, source, files);
  }
  return result;
}

/** Top-level lines grouped by the `test "…"` line above them. */
function splitCases(program: CheckedProgram): { cases: TestCase[]; diagnostics: Diagnostic[] } {
  const cases: TestCase[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const statement of program.script.statements) {
    const pattern = statement.kind === "call" ? program.calls.get(statement)?.entry.patternText : undefined;
    if (pattern === "test {name}") {
      const name = program.calls.get(statement as CallStatement)!.arguments.get("name")!;
      const written = name.kind === "text" && name.parts.every((part) => typeof part === "string") ? name.parts.join("") : (statement as CallStatement).text.replace(/^test\s+/i, "");
      cases.push({ name: written, span: statement.span, setup: [], expectations: [] });
      continue;
    }
    const testCase = cases[cases.length - 1];
    if (!testCase) {
      diagnostics.push(error("line-outside-test", statement.span, "This line comes before the first test.", ['fix: start each test with a line such as `test "approves big invoices"`.']));
      continue;
    }
    if (pattern?.startsWith("expect ")) testCase.expectations.push(statement as CallStatement);
    else testCase.setup.push(statement);
  }
  if (cases.length === 0 && diagnostics.length === 0) {
    const span = { file: program.script.file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
    diagnostics.push(error("no-tests", span, "This test file has no tests.", ['fix: start a test with a line such as `test "approves big invoices"`.']));
  }
  return { cases, diagnostics };
}

/** Runs the script under test as `prose run` does (compile, then the session's run), with the test's models and journal. */
async function runScript(path: string, inputs: ReadonlyMap<string, Fact>, answers: AnswerBook, setup: ScriptRunSetup, testName: string, span: Span, caseResult: TestCaseResult, testSource: string, files: FilesPolicy): Promise<ScriptRun> {
  const compiled = compileScript(path, (script) => readSourceConfined(files, script), { loadSource: confinedSourceLoader(files) });
  if ("unread" in compiled) {
    const { unread } = compiled;
    if (unread.kind === "refused") throw new RuntimeError(`I can't read "${path}": ${unread.reason}.`, span, unread.fix);
    throw new RuntimeError(`I can't find the script ${path}.`, span, "fix: the path is relative to the test file's folder.");
  }
  const { program } = compiled;
  const warnings: string[] = [];
  const plan = setup.forTest(testName);
  const host: RunHost = { ...quietContext(files), ...setup.web, warn: (message) => warnings.push(message) };
  const problems = program.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  const ran = problems.length > 0 ? undefined : await runCompiled(program, { host, answers, inputs: [...inputs].map(([name, value]) => ({ name, value })), models: plan.models, ...(plan.journal ? { journal: plan.journal } : {}) });
  if (plan.missingModelCalls() > 0) caseResult.failures.push({ ...place(span, testSource), message: [notRecordedMessage, ...warnings.map((warning) => warning.replace(/: it is done again\.$/, "."))].join("\n") });
  if (!ran) {
    const shown = problems.map((diagnostic) => formatDiagnostic(diagnostic, program.sources.get(diagnostic.span.file)));
    caseResult.failures.push({ ...place(span, testSource), message: `The script has problems, so it did not run:\n${shown.join("\n")}` });
    return { status: "invalid", output: [], error: null, questions: [], facts: new Map(inputs), modelCalls: 0 };
  }
  const { result } = ran;
  const problem = result.error ? `${result.error.message}${result.error.at ? ` (${result.error.at})` : ""}` : null;
  return { status: result.status, output: result.output, error: problem, questions: result.questions.map((question) => question.text), facts: ran.facts, modelCalls: result.usage.modelCalls };
}

/** Each `expect` line runs on its own, in a session holding the run's facts and what the run did. */
async function checkExpectations(testCase: TestCase, run: ScriptRun, program: CheckedProgram, phrasebook: ReturnType<typeof testPhrasebook>, caseResult: TestCaseResult, source: string, files: FilesPolicy): Promise<void> {
  for (const expectation of testCase.expectations) {
    const session = new RunSession(quietContext(files), { phrasebook });
    const record = new Fact();
    for (const [name, fact] of run.facts) {
      session.setFact(name, fact);
      record.setAttribute(name, fact);
    }
    session.setFact("facts", record);
    session.setFact("output", new Fact(text(run.output.join("\n"))));
    session.setFact("status", new Fact(text(run.status)));
    session.setFact("error", new Fact(run.error === null ? NOTHING : text(run.error)));
    session.setFact("questions", new Fact(list(run.questions.map((question) => text(question)))));
    const outcome = await session.runChecked(program, [expectation]);
    if (outcome.status === "waiting") {
      const unknown = outcome.questions?.map((question) => question.subject ?? question.text).join(", ") ?? "";
      caseResult.failures.push({ ...place(expectation.span, source), message: `The run did not set ${unknown}.`, ...(run.error ? { actual: `the run failed: ${run.error}` } : run.status === "waiting" ? { actual: `the run is waiting: ${run.questions.join(" ")}` } : {}) });
    } else if (outcome.error) {
      caseResult.failures.push({ ...place(expectation.span, source), message: outcome.error.message });
    }
  }
}

function place(span: Span, source: string): { at: string; line: string } {
  return { at: `${span.file}:${span.start.line}`, line: (source.split(/\r\n|\r|\n/)[span.start.line - 1] ?? "").trim() };
}

/**
 * Tests print nothing of their own: what a script says goes to its run's output. Files are read
 * as `prose run` reads them (inside the files root); writes are checked the same way, and skipped.
 */
function quietContext(files: FilesPolicy): RunContext {
  return {
    say: () => undefined,
    warn: () => undefined,
    now: () => new Date(),
    sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
    readFile: (path) => readConfined(files, path),
    listFolder: (path) => listConfined(files, path),
    writeFile: async (path) => {
      files.writable(path);
    },
  };
}
