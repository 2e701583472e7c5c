import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import { expectedInputs } from "../../src/check/expected-inputs.js";
import { unsetFactWarnings } from "../../src/check/unset-facts.js";
import { hasErrors } from "../../src/syntax/diagnostic.js";
import { formatDiagnostic } from "../../src/syntax/format-diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { runProgram } from "../../src/runtime/run-program.js";
import { answerBook, InMemoryFiles, memoryContext } from "../support/run-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/**
 * Whatever text it is given, Prose ends in diagnostics or a run result: parseScript,
 * checkScript and runProgram never throw, and a run never ends in "internal error" (an
 * exception the interpreter did not turn into English).
 */

const FILE = "/scripts/fuzz.prose";

/** Scripts that are valid, covering most of the language: the seeds of the mutations. */
const validScripts = [
  'the name is "world"\nsay "Hello, {the name}!"\n',
  "the total is 1,200.50\nif the total is greater than 1000 then\n    say \"needs approval\"\notherwise if the total is 0\n    say \"empty\"\nelse\n    say \"auto-approved\"\n",
  'the invoices are "A", "B" and "C"\nprocess each invoice in the invoices as follows\n    say the invoice\nfor each invoice in the invoices\n    say "{the invoice}!"\nsay the number of invoices\n',
  'the first field is "po number"\nthe first field\'s format is "string"\nthe second field is "date"\nsay the fields\nsay the last field\nsay the first field\'s format\n',
  "to approve an invoice\n    the invoice's status is \"approved\"\n    the result is the invoice\nthe invoice's total is $120.20\napprove the invoice\nsay the invoice's status\nsay the above\n",
  'split "a,b,c" into parts\n    the delimiter is ","\njoin the parts\n    the separator is " - "\nsay the text\nmake the text uppercase\nsay the text\n',
  "the totals are 10, 20.5 and 30\nsay the sum of the totals\nsay the average of totals\nsay the maximum of the totals\nround the average of the totals\nsort the totals\n    the order is \"descending\"\nsay the totals\n",
  'the due date is "2024-11-01"\nif the due date is less than today\n    say "late"\nadd 30 days to the due date\nformat the due date\n    the format is "dd/MM/yyyy"\nsay the due date\nsay today - "2024-11-01"\n',
  'ask "How should we notify?"\n    the choices are "Email", "SMS"\nsay the answer\n',
  "the total is -5\nvalidate the following\n    ensure the total is greater than 0\n    ensure the vendor is not empty\nsay the total\n",
  'read the file "data.txt"\nsay the file\'s text\nwrite "x {1 + 1}" to the file "out.txt"\nif the file contains "hello"\n    stop\nfail "no hello"\n',
  'parse "{{\\"a\\": [1, 2], \\"b\\": {{\\"c\\": true}}}}" as json\nsay the json\'s a\nsay the json\'s b\'s c\nconvert "15%" to a number\nsay the above * 200\n',
  "set the counter to 0.1\nadd 0.2 to the counter\nuse the counter as the copy\nsay the copy\nthe names are nothing\nadd \"x\" to the names\nsubtract \"x\" from the names\nsay the names is empty\n",
  'learn "lib.prose"\ngreet "Jo"\n    the greeting is "Hi"\n',
  `the payload is '{"a": [1, 2], "b": {"c": true}}'\nparse the payload as json\nsay "{\\"a\\": {the json's a}, \\"ok\\": {}}"\nthe checklist is nothing\nadd 'it\\'s done' to the checklist\nsay the checklist\n`,
  'the vendors are "A"\nprocess each vendor in the vendors in parallel\n    the vendor\'s status is "seen"\nsay the vendors\' statuses\nsay the third vendor\n',
  'John\'s age is 21\nsay John\'s age\nthe first name is "Jo"\nthe first name\nuse the invoice as the current invoice\nthe current invoice\'s status is "paid"\nto process a sale\n    say the sale\nprocess "x"\ninvoke process "y"\n    the first name\n',
  'read the file "data.txt" as the document\nfind the document\'s "tax id"\nsay the document\'s total\nget the document\'s first address as the address\nsummarize "risks in {the document}"\n    the maximum length is 800 tokens\n',
  "get the spend as a number\nget the day as a date as the start\nget the flag as yes or no\nget the tags as a list\nget the code as text\nif the spend is greater than 10\n    get the approver\nthe copy is the above\nsay the spend\n",
];

/**
 * The syntax language v1 adds (LANGUAGE.md §10): seeds that need not parse on every branch (a
 * diagnostic is fine), but whose mutations must end in diagnostics or a run, never an internal
 * error or a hang. A pathological pattern is among them: `matches` must not run away.
 */
const v1Scripts = [
  "the payload is '{\"name\": \"John\", \"age\": 30}'\nsay 'it\\'s here'\nsay \"{\\\"code\\\": 38}\"\nsay \"{}\"\nsay \"{\\\"\"\n",
  'the extensions are "pdf", "txt"\nthe extension is "pdf"\nif the extension is in the extensions\n    say "known"\nif "x" is not in the file name\n    say "no x"\nif the file name is terminated by ".pdf"\n    say "a pdf"\n',
  'the code is "AB-12"\nif the code matches the pattern "^[A-Z]+-\\d+$"\n    say "ok"\nif the code matches the regular expression "^A"\n    say "starts with A"\nif "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" matches the regular expression "^(a+)+$"\n    say "never"\n',
  'the claims are "a", "b"\nthe first claim\'s status is "open"\nsay the number of claims whose status is "open"\nsay the sum of the totals of the claims whose category is "travel"\nsay the claims whose status is not "closed"\n',
  "John's age is 21\nsay John's age\nAcme's address is \"1 Main St\"\nthe order name is \"x\"\nthe order name\nsay the above\n",
  "the last name is \"Okafor\"\nuse the last name as the order name\nthe order name is \"Smith\"\nsay the last name\nset the total to 10\n",
  "to verify applicant qualifications\n    say the resume\n    the result is yes\nthe resume is \"cv\"\ninvoke verify applicant qualifications with\n    the resume\nverify applicant qualifications\n",
  'read the file "data.txt" as the document\nget the document\'s "tax id"\nfind the document\'s "date"\nget the document\'s invoice number as the number\nsay the document\'s file name\n',
  'get the vendor\'s annual spend as a number\nsay the vendor\'s annual spend\nask the model "List the risks: {the document}"\n    the maximum length is 800 tokens\n    the creativity is 0.2\n    the response format is "json"\n',
  "to process a sale\n    say the sale\nprocess the sale\nto ask a vendor\n    say the vendor\nask the vendor\nthe checklist is nothing\nadd \"first task\" to the checklist\n",
];

const library = 'to greet a person\n    say "{the greeting}, {the person}"\n    the result is the person\n';

/** Words, literals and punctuation of the language, including broken pieces. */
const vocabulary = [
  "the", "is", "are", "and", "or", "not", "say", "if", "otherwise", "else", "process", "each", "for", "in", "parallel",
  "ask", "validate", "following", "ensure", "stop", "fail", "learn", "set", "to", "use", "as", "follows", "then",
  "where", "with", ":", ".", ",", "(", ")", "'s", "'", "’s", "plus", "minus", "times", "multiplied", "divided", "by", "+",
  "John's", "Acme’s", "invoke", "-", "*", "/", "<", ">", "<=", ">=", "=", "!=", "contains", "does", "contain", "starts", "ends", "started", "ended",
  "exists", "exist", "empty", "greater", "less", "more", "than", "at", "least", "most", "number", "sum", "average",
  "maximum", "minimum", "length", "of", "first", "second", "last", "3rd", "12th", "total", "totals", "invoice",
  "invoices", "vendor", "name", "names", "above", "result", "results", "choices", "a", "an", "add", "subtract", "from",
  "split", "into", "parts", "join", "make", "uppercase", "round", "sort", "convert", "date", "text", "format", "parse",
  "json", "read", "write", "file", "get", "days", "yes", "no", "true", "nothing", "today", "now", "tomorrow", "1", "0",
  "-3.5", "1,200.50", "$120.20", "€5", "15%", '"hello"', '"{the total}"', '"a {"', '"}"', '"{}"', '"{the}"', '"unclosed',
  "“curly”", "'single'", "'{\"a\": 1}'", "'it\\'s", "‘curly’", '"{\\"code\\": 38}"', '"{ the total }"', '"2024-11-05"', '"data.txt"', '"lib.prose"', '"missing.prose"', "#", "{", "}", "\t", "\ufeff", "\u0001", "é",
  "find", "tokens", "800", "maximum", "'s \"tax id\"",
  // Language v1 (LANGUAGE.md §10).
  "'single'", "'{\"a\": 1}'", "'it\\'s'", "'unclosed", '"{\\"code\\": 38}"', '"{\\""', '"{}"', "terminated", "matches", "pattern",
  "regular", "expression", '"^A"', '"(a+)+$"', '"["', "whose", "status", "John's", "Acme's", "invoke", "use", "find", "document",
  "document's", '"tax id"', "tokens", "800", "creativity", "model", "ask", "claims", "sale", "answer", "above",
];

const indentation = fc.constantFrom("", "", "    ", "    ", "        ", "  ", " ", "\t", "\t    ");
const tokenLine = fc.tuple(indentation, fc.array(fc.constantFrom(...vocabulary), { maxLength: 9 })).map(([indent, words]) => indent + words.join(" "));
const lineEnd = fc.constantFrom("\n", "\r\n", "\r");
const tokenScript = fc.tuple(fc.array(tokenLine, { maxLength: 10 }), lineEnd).map(([lines, end]) => lines.join(end));

type Mutation =
  | { kind: "delete character" | "duplicate character" | "delete line" | "duplicate line"; at: number }
  | { kind: "swap characters" | "swap lines"; at: number; other: number }
  | { kind: "insert"; at: number; text: string };

const position = fc.nat({ max: 10_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("delete character" as const, "duplicate character" as const, "delete line" as const, "duplicate line" as const), at: position }),
  fc.record({ kind: fc.constantFrom("swap characters" as const, "swap lines" as const), at: position, other: position }),
  fc.record({ kind: fc.constant("insert" as const), at: position, text: fc.oneof(fc.constantFrom(...vocabulary).map((word) => ` ${word} `), fc.constantFrom("\n", "\n    ", "    ", '"', "{", "'s", "'", "\\'", "{\"", " is in ", " whose ", " matches the pattern ")) }),
);

function mutate(source: string, change: Mutation): string {
  if (change.kind === "swap lines" || change.kind === "delete line" || change.kind === "duplicate line") {
    const lines = source.split("\n");
    const at = change.at % lines.length;
    if (change.kind === "delete line") lines.splice(at, 1);
    else if (change.kind === "duplicate line") lines.splice(at, 0, lines[at]);
    else if (change.kind === "swap lines") {
      const other = change.other % lines.length;
      [lines[at], lines[other]] = [lines[other], lines[at]];
    }
    return lines.join("\n");
  }
  if (source.length === 0) return change.kind === "insert" ? change.text : source;
  const characters = [...source];
  const at = change.at % characters.length;
  switch (change.kind) {
    case "delete character":
      characters.splice(at, 1);
      break;
    case "duplicate character":
      characters.splice(at, 0, characters[at]);
      break;
    case "swap characters": {
      const other = change.other % characters.length;
      [characters[at], characters[other]] = [characters[other], characters[at]];
      break;
    }
    case "insert":
      characters.splice(at, 0, change.text);
      break;
  }
  return characters.join("");
}

const mutatedScript = fc.tuple(fc.constantFrom(...validScripts), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([source, changes]) => changes.reduce(mutate, source));
const mutatedV1Script = fc.tuple(fc.constantFrom(...v1Scripts), fc.array(mutation, { maxLength: 4 })).map(([source, changes]) => changes.reduce(mutate, source));
/** Lines of v1 forms put together in any order, under any indentation. */
const v1Lines = v1Scripts.flatMap((source) => source.split("\n").filter((line) => line.trim() !== ""));
const mixedV1Script = fc.tuple(fc.array(fc.tuple(indentation, fc.constantFrom(...v1Lines)), { minLength: 1, maxLength: 8 }), lineEnd).map(([lines, end]) => lines.map(([indent, line]) => indent + line.trimStart()).join(end));

/** A script that could run long: it repeats or waits (the other loops are bounded by their lists). */
function mayRunLong(source: string): boolean {
  return /\b(repeat|wait)\b/i.test(source);
}

const reached = { checked: 0, ran: 0 };

/** Parse, check, and — when the script is valid and short-running — run; none may throw. */
async function exercise(source: string): Promise<void> {
  const parsed = parseScript(source, FILE);
  for (const diagnostic of parsed.diagnostics) {
    expect(diagnostic.span.start.line).toBeGreaterThanOrEqual(1);
    expect(diagnostic.message.length).toBeGreaterThan(0);
    formatDiagnostic(diagnostic, source);
  }
  const world = new InMemoryFiles("/scripts", { "data.txt": "hello there", "lib.prose": library });
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: (path) => world.source(path) });
  // What `prose check` adds: warnings about facts never set, and the inputs a script expects.
  for (const diagnostic of unsetFactWarnings(program)) formatDiagnostic(diagnostic, source);
  for (const input of expectedInputs(program)) expect(input.name).toMatch(/^the /);
  reached.checked++;
  if (hasErrors([...parsed.diagnostics, ...program.diagnostics]) || mayRunLong(source)) return;
  const { context } = memoryContext(world);
  const result = await runProgram(program, context, answerBook());
  reached.ran++;
  expect(["done", "failed", "waiting"]).toContain(result.status);
  if (result.error) expect(result.error.message).not.toMatch(/internal error/);
  if (result.status === "waiting") expect(result.questions.length).toBeGreaterThan(0);
}

// A fixed seed keeps the suite deterministic and the file runs in a few seconds. For a deeper
// search: PROSE_FUZZ_SCALE=50 PROSE_FUZZ_SEED=7 npx vitest run test/runtime/never-throws
const scale = Number(process.env.PROSE_FUZZ_SCALE ?? 1);
const seed = Number(process.env.PROSE_FUZZ_SEED ?? 20241105);
const runs = { numRuns: 150 * scale, seed } as const;

describe("Prose never throws on any input", { timeout: 60_000 * scale }, () => {
  it("random strings", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 120 }), exercise), runs);
  });

  it("random code points, including control characters and astral ones", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: "binary", maxLength: 60 }), exercise), { ...runs, numRuns: 100 * scale });
  });

  it("random sequences of Prose words on lines with random indentation", async () => {
    await fc.assert(fc.asyncProperty(tokenScript, exercise), { ...runs, numRuns: 200 * scale });
  });

  it("mutations of valid scripts: deleted, duplicated and swapped characters and lines", async () => {
    const before = reached.ran;
    await fc.assert(fc.asyncProperty(mutatedScript, exercise), { ...runs, numRuns: 400 * scale });
    // Enough mutations stay valid to exercise the interpreter, not only the parser.
    expect(reached.ran - before).toBeGreaterThan(50);
  });

  it("the syntax of language v1: its seeds, their mutations, and its lines mixed", async () => {
    for (const source of v1Scripts) await exercise(source);
    await fc.assert(fc.asyncProperty(mutatedV1Script, exercise), { ...runs, numRuns: 300 * scale });
    await fc.assert(fc.asyncProperty(mixedV1Script, exercise), { ...runs, numRuns: 200 * scale });
  });

  it("the seeds themselves are valid and run", async () => {
    for (const source of validScripts) {
      const parsed = parseScript(source, FILE);
      const world = new InMemoryFiles("/scripts", { "data.txt": "hello there", "lib.prose": library });
      const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: (path) => world.source(path) });
      // A line syntax could not read as a statement but check resolved as a call is settled (`process "x"`).
      const parseProblems = parsed.diagnostics.filter((diagnostic) => !program.settled?.has(diagnostic));
      expect([...parseProblems, ...program.diagnostics].map((diagnostic) => diagnostic.message)).toEqual([]);
      const { context } = memoryContext(world);
      const result = await runProgram(program, context, answerBook());
      expect(result.error?.message ?? "").not.toMatch(/internal error/);
    }
  });
});
