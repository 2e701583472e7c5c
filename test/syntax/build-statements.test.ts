import { describe, expect, it } from "vitest";
import { build, buildOne } from "../support/ast-shape.js";

/** What `StatementBuilder` builds for each form of line, read through the grammar. */
describe("StatementBuilder", () => {
  describe("fact lines", () => {
    it("`the … is …` assigns one value, or a list when commas join items", () => {
      expect(buildOne("the total is 10")).toEqual({ assign: "the total", value: "10" });
      expect(buildOne("the total is the price * 2")).toEqual({ assign: "the total", value: "(* the price 2)" });
      expect(buildOne('the names is "ann", "bob"')).toEqual({ assign: "the names", value: '["ann", "bob"]' });
    });

    it("`the … is` keeps `and` logical; `the … are` joins items with it", () => {
      expect(buildOne("the ready is the a and the b")).toEqual({ assign: "the ready", value: "(and the a the b)" });
      expect(buildOne('the colors are "red", "green" and "blue"')).toEqual({ assign: "the colors", value: '["red", "green", "blue"]', plural: true });
    });

    it("`set … to …` and `use … as …` assign too", () => {
      expect(buildOne("set the customer's city to \"Oslo\"")).toEqual({ assign: "the customer's city", value: '"Oslo"' });
      expect(buildOne("use the last name as the order name")).toEqual({ assign: "the order name", value: "the last name" });
    });
  });

  describe("lines that take a block", () => {
    it("`if`, `otherwise if` and `otherwise` make one if statement with branches", () => {
      expect(buildOne("if the total is more than 100", '  say "big"', "otherwise if the total is 0", '  say "none"', "otherwise", '  say "small"')).toEqual({
        if: [
          { when: "(greater the total 100)", then: [{ say: '"big"' }] },
          { when: "(equal the total 0)", then: [{ say: '"none"' }] },
        ],
        otherwise: [{ say: '"small"' }],
      });
    });

    it("`process each … in …` loops over the collection; without `in`, over the item's plural", () => {
      expect(buildOne("process each invoice in the open invoices", "  say the invoice")).toEqual({ each: "invoice", in: "the open invoices", do: [{ say: "the invoice" }] });
      expect(buildOne("for each vendor in parallel", "  say the vendor")).toEqual({ each: "vendor", in: "the vendors", parallel: true, do: [{ say: "the vendor" }] });
    });

    it("`repeat … times` counts a value", () => {
      expect(buildOne("repeat 3 times", '  say "hi"')).toEqual({ repeat: "3", do: [{ say: '"hi"' }] });
      expect(buildOne("repeat (the n + 1) times", '  say "hi"')).toEqual({ repeat: "(+ the n 1)", do: [{ say: '"hi"' }] });
    });

    it("`validate the following` gathers its `ensure` lines, each with its source text", () => {
      expect(buildOne("validate the following", "  ensure the total is at least 0", '  ensure the name is not empty')).toEqual({
        validate: [
          { check: "(at least the total 0)", source: "the total is at least 0" },
          { check: "(not empty the name)", source: "the name is not empty" },
        ],
      });
    });

    it("`ask` takes `the choices are …` under it", () => {
      expect(buildOne('ask "How should we reach you?"', '  the choices are "Email", "SMS"')).toEqual({ ask: '"How should we reach you?"', choices: '["Email", "SMS"]' });
      expect(buildOne('ask "Your name?"')).toEqual({ ask: '"Your name?"' });
    });
  });

  describe("one-line statements", () => {
    it("`say`, `ensure`, `stop`, `fail`, `learn`", () => {
      expect(buildOne('say "Total: {the total}"')).toEqual({ say: '"Total: {the total}"' });
      expect(buildOne("ensure the total is less than 10")).toEqual({ validate: [{ check: "(less the total 10)", source: "the total is less than 10" }] });
      expect(buildOne("stop")).toEqual({ stop: true });
      expect(buildOne("fail")).toEqual({ fail: null });
      expect(buildOne('fail "the total is wrong"')).toEqual({ fail: '"the total is wrong"' });
      expect(buildOne('learn "lib/approvals.prose"')).toEqual({ learn: '"lib/approvals.prose"' });
    });
  });

  describe("call sentences", () => {
    it("keep their words as written; `as the …` at the end names the result", () => {
      expect(buildOne('send an email to "ann@example.com"')).toEqual({ call: 'send an email to "ann@example.com"', words: ["send", "an", "email", "to", '"ann@example.com"'] });
      expect(buildOne('split "a,b" into parts as the pieces')).toEqual({ call: 'split "a,b" into parts', words: ["split", '"a,b"', "into", "parts"], as: "pieces" });
    });

    it("take fact lines in their block", () => {
      expect(buildOne("summarize the report", '  the tone is "friendly"', "  set the length to 3")).toEqual({
        call: "summarize the report",
        words: ["summarize", "the", "report"],
        block: [
          { assign: "the tone", value: '"friendly"' },
          { assign: "the length", value: "3" },
        ],
      });
    });
  });

  describe("procedure definitions", () => {
    it("`to …` makes a pattern of fixed words and slots (after `a`/`an`), kept apart from the statements", () => {
      const built = build("to approve an invoice for the manager", "  say the invoice", 'approve the invoice for the manager');
      expect(built.diagnostics).toEqual([]);
      expect(built.definitions).toEqual([
        {
          to: "approve {invoice} for manager",
          pattern: [
            { kind: "word", word: "approve" },
            { kind: "slot", name: "invoice" },
            { kind: "word", word: "for" },
            { kind: "word", word: "manager" },
          ],
          do: [{ say: "the invoice" }],
        },
      ]);
      expect(built.statements).toEqual([{ call: "approve the invoice for the manager", words: ["approve", "the", "invoice", "for", "the", "manager"] }]);
    });
  });

  describe("a line that does not build", () => {
    it("is a diagnostic, and the lines after it still build", () => {
      const built = build("the total is", "say 1");
      expect(built.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["unreadable-line"]);
      expect(built.statements).toEqual([{ say: "1" }]);
    });

    it("when it starts with a statement's word, is also read as a call that check may settle", () => {
      const built = build("set the total 10", "say 1");
      expect(built.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["unreadable-line"]);
      expect(built.statements).toEqual([{ call: "set the total 10", words: ["set", "the", "total", "10"] }, { say: "1" }]);
    });

    it("has the block under it read too, so the block's own mistakes are reported", () => {
      const built = build("if the total is", "  say 1 2");
      expect(built.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["unreadable-line", "unreadable-line"]);
      expect(built.statements).toEqual([]);
    });
  });
});
