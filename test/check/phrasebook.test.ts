import { describe, expect, it } from "vitest";
import type { CallStatement } from "../../src/syntax/ast.js";
import { editDistance, suggestNames, suggestProcedures } from "../../src/check/suggest.js";
import { parsePattern } from "../../src/check/phrasebook.js";
import { checkSource, lines, output } from "../support/run-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";
import { definitionPattern } from "../../src/check/procedure-pattern.js";

/** Each call of a script and the pattern it resolved to, with its arguments' kinds. */
function resolved(source: string): Array<{ call: string; pattern: string; arguments: Record<string, string>; resultName?: string }> {
  const { program, diagnostics } = checkSource(source);
  expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual([]);
  return [...program.calls.entries()].map(([call, match]: [CallStatement, (typeof program.calls extends Map<CallStatement, infer M> ? M : never)]) => ({
    call: call.text,
    pattern: match.entry.patternText,
    arguments: Object.fromEntries([...match.arguments].map(([slot, expression]) => [slot, expression.kind])),
    ...(call.resultName ? { resultName: call.resultName } : {}),
  }));
}

function messages(source: string): string[] {
  return checkSource(source).diagnostics.map((diagnostic) => [diagnostic.message, ...(diagnostic.notes ?? [])].join(" | "));
}

describe("resolving calls against the phrasebook", () => {
  it("the most specific match wins: `add {count} days to {date}` over `add {value} to {target}`", () => {
    expect(resolved(lines('the due date is "2024-11-01"', "add 3 days to the due date", "add 3 to the due date"))).toEqual([
      { call: "add 3 days to the due date", pattern: "add {count} days to {date}", arguments: { count: "number", date: "reference" } },
      { call: "add 3 to the due date", pattern: "add {value} to {target}", arguments: { value: "number", target: "reference" } },
    ]);
  });

  it("the most specific match wins between the script's own procedures", () => {
    // (Not `send`: the standard library's `send {text} to {recipients}` would tie with `send {thing} to {person}`.)
    const source = lines("to deliver a thing to a person", '    say "any"', "to deliver a thing to a person by email", '    say "email"', 'deliver "x" to "Jo" by email', 'deliver "x" to "Jo"');
    expect(resolved(source).map((call) => call.pattern)).toEqual(["deliver {thing} to {person} by email", "deliver {thing} to {person}"]);
  });

  it("a tie is an error naming every candidate", () => {
    expect(messages(lines("to add a thing to a pile", '    say "x"', "add 1 to the counter"))).toEqual([
      '"add 1 to the counter" matches more than one procedure equally well. | candidate: add {value} to {target} (standard library) | candidate: add {thing} to {pile} (/scripts/main.prose:1:1) | fix: reword the line, or rename one of the procedures so their words differ.',
    ]);
  });

  it("articles before fixed words are optional, in the pattern and in the call", () => {
    const source = lines('read file "a.txt"', 'read the file "a.txt"', 'get a file "a.txt"', "to greet the team", '    say "hi"', "greet team", "greet the team", "greet a team");
    expect(resolved(source).map((call) => call.pattern)).toEqual(["read the file {path}", "read the file {path}", "get the file {path}", "greet team", "greet team", "greet team"]);
  });

  it("fixed words match whatever their case", () => {
    expect(resolved(lines('SPLIT "a b" Into Parts'))[0].pattern).toBe("split {text} into parts");
  });

  it("a slot takes a list", () => {
    expect(resolved(lines('join "a", "b" and "c"', "sort 3, 1 and 2"))).toEqual([
      { call: 'join "a", "b" and "c"', pattern: "join {list}", arguments: { list: "list" } },
      { call: "sort 3, 1 and 2", pattern: "sort {list}", arguments: { list: "list" } },
    ]);
  });

  it("a slot takes any one expression, even one that holds a fixed word in quotes", () => {
    expect(resolved(lines('the text is "a with b"', 'replace "with" with "and" in the text', "to deliver a thing to a person", '    say "x"', "deliver 1 + 2 to the boss's deputy"))).toEqual([
      { call: 'replace "with" with "and" in the text', pattern: "replace {old} with {new} in {text}", arguments: { old: "text", new: "text", text: "reference" } },
      { call: "deliver 1 + 2 to the boss's deputy", pattern: "deliver {thing} to {person}", arguments: { thing: "arithmetic", person: "reference" } },
    ]);
  });

  it("a pattern may start with a slot", async () => {
    expect(await output(lines("to an order arrives", '    say "arrived: {the order}"', '"A-1" arrives'))).toEqual(["arrived: A-1"]);
  });

  it("`as the …` at the end names the result and is not part of the sentence", async () => {
    expect(resolved(lines('split "a b" into parts as the words'))).toEqual([{ call: 'split "a b" into parts', pattern: "split {text} into parts", arguments: { text: "text" }, resultName: "words" }]);
    expect(await output(lines('split "a b" into parts as the split words', "say the split words"))).toEqual(["a and b"]);
  });

  it("resolves calls inside blocks and procedure bodies, and the block lines of standard procedures", () => {
    const source = lines("to tidy a title", "    make the title lowercase", "if yes", '    split "a,b" into parts', '        the delimitr is ","', "    frobnicate the widget");
    expect(messages(source)).toEqual([
      '"split {text} into parts" doesn\'t take a line about "the delimitr". | did you mean: the delimiter',
      'I don\'t know how to "frobnicate the widget". | fix: check the words of the line, or define the procedure with a `to …` line.',
    ]);
  });

  it("lists the block lines a standard procedure takes when nothing is close", () => {
    expect(messages(lines("sort 3, 1", '    the weather is "fine"'))).toEqual(['"sort {list}" doesn\'t take a line about "the weather". | it takes: the order, the key']);
  });

  it("accepts ordinal block lines under the plural name", () => {
    expect(messages(lines("to show the fields", "    say the fields", "show the fields", '    the first field is "a"'))).toEqual([]);
  });
});

describe("suggestions for typos", () => {
  it("suggest the closest procedures", () => {
    expect(messages(lines('splt "a b" into parts'))).toEqual(['I don\'t know how to "splt "a b" into parts". | did you mean: split {text} into parts (standard library) | did you mean: split {text} (standard library)']);
    expect(messages(lines("rund 2.5"))).toEqual(['I don\'t know how to "rund 2.5". | did you mean: round {number} (standard library)']);
    expect(messages(lines("to approve an invoice", '    say "ok"', "aprove the invoice"))).toEqual(['I don\'t know how to "aprove the invoice". | did you mean: approve {invoice} (/scripts/main.prose:1:1)']);
  });

  it("edit distance counts insertions, deletions, substitutions and swaps", () => {
    expect([editDistance("split", "split"), editDistance("splt", "split"), editDistance("spilt", "split"), editDistance("sort", "short"), editDistance("", "abc")]).toEqual([0, 1, 1, 1, 3]);
  });

  it("suggest names among those allowed, closest first", () => {
    expect(suggestNames("ordr", ["order", "key"])).toEqual(["order"]);
    expect(suggestNames("weather", ["order", "key"])).toEqual([]);
  });

  it("suggest at most three procedures", () => {
    expect(suggestProcedures(["make", "it", "upercase"], standardPhrasebook().entries).map((entry) => entry.patternText)[0]).toBe("make {text} uppercase");
    expect(suggestProcedures(["convert", "x", "to"], standardPhrasebook().entries).length).toBeLessThanOrEqual(3);
  });
});

describe("patterns", () => {
  it("drop articles before fixed words, keep slots", () => {
    expect(parsePattern("read the file {path}")).toEqual([{ kind: "word", word: "read" }, { kind: "word", word: "file" }, { kind: "slot", name: "path" }]);
    expect(parsePattern("convert {value} to a date")).toEqual([{ kind: "word", word: "convert" }, { kind: "slot", name: "value" }, { kind: "word", word: "to" }, { kind: "word", word: "date" }]);
  });

  it("read `a`/`an` in a definition as a slot, `the` before a fixed word as optional", () => {
    const { program } = checkSource(lines("to approve an invoice for the boss", '    say "x"'));
    expect(program.script.definitions.map((definition) => definitionPattern(definition).text)).toEqual(["approve {invoice} for boss"]);
  });
});
