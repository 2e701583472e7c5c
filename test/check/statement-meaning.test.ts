import { describe, expect, it } from "vitest";
import { askChoices } from "../../src/check/ask-choices.js";
import { withoutOptionalArticles } from "../../src/check/articles.js";
import { checkScript } from "../../src/check/check-script.js";
import { loopCollection } from "../../src/check/loop-collection.js";
import { parsePattern } from "../../src/check/phrasebook.js";
import { definitionPattern } from "../../src/check/procedure-pattern.js";
import type { Statement } from "../../src/syntax/ast.js";
import { parseScript } from "../../src/syntax/parse-script.js";
import { standardPhrasebook } from "../../stdlib/registry.js";

/**
 * What check makes of the statements syntax reads as written: a loop's list when it names none,
 * an `ask`'s choices, a procedure's pattern. Syntax gives none of these meaning.
 */

function statements(source: string): Statement[] {
  const { script, diagnostics } = parseScript(source, "x.prose");
  expect(diagnostics).toEqual([]);
  return script.statements;
}

function checkProblems(source: string): string[] {
  const parsed = parseScript(source, "x.prose");
  const program = checkScript(parsed.script, { phrasebook: standardPhrasebook(), loadSource: () => undefined });
  return [...parsed.diagnostics, ...program.diagnostics].map((diagnostic) => diagnostic.message);
}

describe("a loop's list", () => {
  it("is left out by syntax when not written, and is the plural of the item for check", () => {
    const [loop] = statements("process each category\n    say 1\n");
    if (loop.kind !== "each") throw new Error(`expected a loop, got ${loop.kind}`);
    expect(loop.collection).toBeUndefined();
    const collection = loopCollection(loop);
    expect(collection).toMatchObject({ kind: "reference", reference: { text: "the categories", segments: [{ name: "categories", span: loop.itemSpan }] } });
    expect(loopCollection(loop)).toBe(collection);
  });

  it("is the one written when there is one", () => {
    const [loop] = statements("for each vendor in the suppliers\n    say 1\n");
    if (loop.kind !== "each") throw new Error(`expected a loop, got ${loop.kind}`);
    expect(loopCollection(loop)).toBe(loop.collection);
    expect(loopCollection(loop)).toMatchObject({ kind: "reference", reference: { text: "the suppliers" } });
  });
});

describe("an ask's choices", () => {
  it("are the value of its `the choices are …` line, which syntax keeps as a plain fact line", () => {
    const [ask] = statements('ask "How?"\n    the choices are "Email", "SMS"\n');
    if (ask.kind !== "ask") throw new Error(`expected an ask, got ${ask.kind}`);
    expect(ask.block).toHaveLength(1);
    expect(askChoices(ask)).toBe(ask.block[0].value);
  });

  it("are none without such a line, and another fact line is check's error, not syntax's", () => {
    const [ask] = statements('ask "How?"\n    the options are "a", "b"\n');
    if (ask.kind !== "ask") throw new Error(`expected an ask, got ${ask.kind}`);
    expect(askChoices(ask)).toBeUndefined();
    expect(checkProblems('ask "How?"\n    the options are "a", "b"\n')).toEqual(["An `ask` block can only hold `the choices are …`."]);
  });
});

describe("procedure patterns", () => {
  it("keep the name as written in syntax; check makes `a`/`an` words inputs and drops optional articles", () => {
    const { script } = parseScript("to send the invoice to a customer by the post\n    say 1\n", "x.prose");
    expect(script.definitions[0].name).toEqual(["send", "the", "invoice", "to", "a", "customer", "by", "the", "post"]);
    expect(definitionPattern(script.definitions[0]).text).toBe("send invoice to {customer} by post");
  });

  it("follow one article rule for the script's procedures and the standard library's", () => {
    const { script } = parseScript("to read the file a path\n    say 1\n", "x.prose");
    expect(definitionPattern(script.definitions[0]).parts).toEqual(parsePattern("read the file {path}"));
    const word = (text: string) => ({ kind: "word" as const, word: text });
    // An article that starts a name stays; one that ends it too: nothing follows to make it optional.
    expect(withoutOptionalArticles([word("the"), word("report"), word("a")])).toEqual([word("the"), word("report"), word("a")]);
    expect(withoutOptionalArticles([word("file"), word("the"), word("report")])).toEqual([word("file"), word("report")]);
  });

  it("need a fixed word: a name of inputs alone is check's error, and the procedure is not added", () => {
    expect(checkProblems('to a thing\n    say "x"\na thing\n')).toEqual([
      "A procedure's name needs at least one fixed word besides its inputs.",
      expect.stringContaining('I don\'t know how to "a thing"'),
    ]);
  });
});
