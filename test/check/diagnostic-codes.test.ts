import { describe, expect, it } from "vitest";
import { checkScript } from "../../src/check/check-script.js";
import type { DiagnosticCode } from "../../src/syntax/diagnostic.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";
import { checkSource, lines } from "../support/run-script.js";

/** The codes of a script's diagnostics (parse and check), in order. */
function codes(source: string, files: Record<string, string> = {}): DiagnosticCode[] {
  return checkSource(source, { files }).diagnostics.map((diagnostic) => diagnostic.code);
}

describe("check diagnostics carry a stable code", () => {
  it("calls: unknown, ambiguous, too many ways to split", () => {
    expect(codes("frobnicate the widget\n")).toEqual(["unknown-call"]);
    expect(codes(lines("to greet a person", '  say "a"', "to greet a name", '  say "b"', 'greet "ann"'))).toEqual(["ambiguous-call"]);
    const call = `combine ${Array.from({ length: 400 }, () => "1").join(" and ")} and )`;
    expect(codes(lines("to combine a x and a y and a z", '  say "c"', call))).toEqual(["call-too-complex"]);
  });

  it("a block line its procedure does not take", () => {
    expect(codes(lines('split "a,b" into parts', '    the delimeter is ","'))).toEqual(["unexpected-block-fact"]);
  });

  it("a procedure whose name has no fixed word besides its inputs", () => {
    expect(codes(lines("to a person", '  say "hi"'))).toEqual(["bad-procedure-name"]);
  });

  it("a procedure defined twice", () => {
    expect(codes(lines("to greet a person", '  say "a"', "to greet a person", '  say "b"'))).toEqual(["duplicate-procedure"]);
  });

  it("learning: a path that is not a quoted .prose file, a file that does not exist", () => {
    expect(codes('learn "notes.txt"\n', { "notes.txt": "hello" })).toEqual(["bad-learn-path"]);
    expect(codes("learn the notes\n")).toEqual(["bad-learn-path"]);
    expect(codes('learn "missing.prose"\n')).toEqual(["learn-file-not-found"]);
  });

  it("a parallel loop that changes a fact from outside it", () => {
    expect(codes(lines("the total is 0", "the items are 1, 2", "process each item in the items in parallel", "  the total is 1"))).toEqual(["parallel-shared-fact"]);
  });

  it("a model provider the agent does not have", () => {
    const source = lines('ask the model "hello"', '  the model provider is "nowhere"');
    const { script } = parseScript(source, "/scripts/main.prose");
    const program = checkScript(script, { phrasebook: standardPhrasebook(), loadSource: () => undefined, providers: { ids: ["openai-main"] } });
    expect(program.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["unknown-provider"]);
  });

  it("a model provider the run cannot use: disabled (a warning), or refused by a policy (an error)", () => {
    const source = lines('ask the model "hello"', '  the model provider is "openai-old"', 'ask the model "again"', '  the model provider is "openai-retains"');
    const { script } = parseScript(source, "/scripts/main.prose");
    const refused = new Map([
      ["openai-old", { reason: 'the provider "openai-old" is disabled', fix: "Enable it with `prose byom enable openai-old`, or name another provider.", blocking: false }],
      ["openai-retains", { reason: 'the provider "openai-retains" is not marked no-training, and the policy of the agent "default" requires it', fix: "Mark it.", blocking: true }],
    ]);
    const program = checkScript(script, { phrasebook: standardPhrasebook(), loadSource: () => undefined, providers: { ids: ["openai-old", "openai-retains"], refused } });
    expect(program.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code}`)).toEqual(["warning disabled-provider", "error provider-refused-by-policy"]);
    expect(program.diagnostics[0].message).toBe('The run cannot use the provider "openai-old": the provider "openai-old" is disabled; the call will go to the fallback chain.');
  });
});
