import { describe, expect, it } from "vitest";
import { checkSource } from "../support/run-script.js";

/**
 * The formatted diagnostics of typical mistakes: `file:line:col: error: …`, the source line,
 * a caret under the place, and the fix. Each script is written as `prose check` would show it.
 */
function problems(source: string, file = "invoice.prose"): string {
  return checkSource(source, { file }).formatted.join("\n");
}

describe("parse errors read as English with a fix", () => {
  it("a missing value after `is`", () => {
    expect(problems("the total is\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:11: error: This line ends too early: after "is" I expected a value: a text in quotes, a number, yes or no, or a name that starts with "the".
        the total is
                  ^^
        fix: write the value after "is", as in \`the total is 10\`."
    `);
  });

  it("an unclosed quote (reported once)", () => {
    expect(problems('say "hello\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:5: error: This text has no closing quote.
        say "hello
            ^^^^^^
        fix: end the text with a " on the same line."
    `);
  });

  it("an unclosed parenthesis", () => {
    expect(problems("the total is (1 + 2\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:19: error: I expected ")" to close the "(" but found the end of the line.
        the total is (1 + 2
                          ^
        fix: add the missing \`)\`."
    `);
  });

  it("`repeat 3` without `times`", () => {
    expect(problems('repeat 3\n    say "hello"\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:8: error: I expected "times" after the count, as in \`repeat 3 times\`, but found the end of the line.
        repeat 3
               ^
        fix: put the count in parentheses if it is a calculation: repeat (the n + 1) times."
    `);
  });

  it("`otherwise` without `if`", () => {
    expect(problems('say "a"\notherwise\n    say "b"\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:1: error: This \`otherwise\` doesn't follow an \`if\` block.
        otherwise
        ^^^^^^^^^
        fix: put it right after the block of an \`if\` line, at the same indentation as the \`if\`."
    `);
  });

  it("a second `otherwise` after the first", () => {
    expect(problems('if yes\n    say "a"\notherwise\n    say "b"\notherwise\n    say "c"\n')).toMatchInlineSnapshot(`
      "invoice.prose:5:1: error: This \`otherwise\` comes after the final \`otherwise\` of its \`if\`.
        otherwise
        ^^^^^^^^^
        fix: move it above the final \`otherwise\`, or start a new \`if\`."
    `);
  });

  it("an `else if` after the final `else`", () => {
    expect(problems('if no\n    say 1\nelse\n    say 2\nelse if yes\n    say 3\n')).toMatchInlineSnapshot(`
      "invoice.prose:5:1: error: This \`else if\` comes after the final \`else\` of its \`if\`.
        else if yes
        ^^^^^^^^^^^
        fix: move it above the final \`else\`, or start a new \`if\`."
    `);
  });

  it("`else` without `if`", () => {
    expect(problems('say "a"\nelse\n    say "b"\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:1: error: This \`else\` doesn't follow an \`if\` block.
        else
        ^^^^
        fix: put it right after the block of an \`if\` line, at the same indentation as the \`if\`."
    `);
  });

  it("a line that starts with \"the\" but is no fact line (a line that is only a name is one: `the order arrives`)", () => {
    expect(problems("the order arrives\n")).toBe("");
    expect(problems("the order arrives in 5 days\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:19: error: I expected "is" or "are" after the name, but found "in".
        the order arrives in 5 days
                          ^^
        fix: write a fact line like \`the total is 10\`, or check the words of the name."
    `);
  });

  it("a block under `say`", () => {
    expect(problems('say "a"\n    say "b"\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:5: error: This line is indented under a line that doesn't take a block.
            say "b"
            ^^^
        fix: line it up with the line above it."
    `);
  });

  it("an `if` without a block", () => {
    expect(problems('if the total is 1\nsay "b"\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:1: error: This \`if\` line has no block under it.
        if the total is 1
        ^^^^^^^^^^^^^^^^^
        fix: indent the lines it should run under it."
    `);
  });

  it("a `{` in a text that is never closed", () => {
    expect(problems('say "Total: {the total"\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:13: error: This \`{\` opens a value inside the text but is never closed.
        say "Total: {the total"
                    ^
        fix: close it with \`}\`, or write \`{{\` for a brace."
    `);
  });

  it("a `}` in a text that closes nothing", () => {
    expect(problems('say "a } b"\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:8: error: This \`}\` closes nothing.
        say "a } b"
               ^
        fix: write \`}}\` for a brace in a text."
    `);
  });

  it("no problem for `{}` in a text: it is two literal braces", () => {
    expect(problems('say "a {} b"\n')).toBe("");
  });

  it("a broken value inside `{…}`", () => {
    expect(problems('say "Total: {the total plus}"\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:24: error: Inside {the total plus}: This line ends too early: after "plus" I expected a value: a text in quotes, a number, yes or no, or a name that starts with "the".
        say "Total: {the total plus}"
                               ^^^^
        fix: write the value after "plus", as in \`the total is 10\`."
    `);
  });

  it("a bare word where a value belongs", () => {
    expect(problems("say hello\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:5: error: I expected a value: a text in quotes, a number, yes or no, or a name that starts with "the", but found "hello".
        say hello
            ^^^^^
        fix: if "hello" is a name, write "the hello"; if it is text, put it in quotes."
    `);
  });

  it("words left over after a complete line", () => {
    expect(problems("the total is 10 20\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:17: error: I didn't understand "20" here: the line should have ended before it.
        the total is 10 20
                        ^^
        fix: check the words before it; names start with "the", texts need quotes."
    `);
  });

  it("`set` without `to`", () => {
    expect(problems("set the total 10\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:15: error: I expected "to" after the name in this \`set\` line, but found "10".
        set the total 10
                      ^^
        fix: write it as \`set the total to 10\`."
    `);
  });

  it("`use` without `as`", () => {
    expect(problems("use the total the order total\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:15: error: I expected "as" in this \`use\` line, but found "the".
        use the total the order total
                      ^^^
        fix: write it as \`use the last name as the order name\`."
    `);
  });

  it("a loop without the item's name", () => {
    expect(problems('process each in the invoices\n    say "x"\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:14: error: This loop needs the name of each item, as in \`process each invoice in the invoices\`.
        process each in the invoices
                     ^^
        fix: write a name after \`each\`."
    `);
  });

  it("a `validate` block with a line that is not `ensure`", () => {
    expect(problems('validate the following\n    say "x"\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:5: error: A \`validate the following\` block can only hold \`ensure …\` lines.
            say "x"
            ^^^^^^^
        fix: start each line of the block with \`ensure\`, as in \`ensure the total is greater than 0\`."
    `);
  });

  it("a `validate` without a block", () => {
    expect(problems('validate the following\nsay "x"\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:1: error: This \`validate\` has no \`ensure\` lines under it.
        validate the following
        ^^^^^^^^^^^^^^^^^^^^^^
        fix: indent one or more \`ensure <condition>\` lines under it."
    `);
  });

  it("an `ask` block with a line that is not the choices", () => {
    expect(problems('ask "How?"\n    the options are "a", "b"\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:5: error: An \`ask\` block can only hold \`the choices are …\`.
            the options are "a", "b"
            ^^^^^^^^^^^^^^^^^^^^^^^^
        fix: write the choices as \`the choices are "Email", "SMS"\`."
    `);
  });

  it("a call's block with a line that is not a fact", () => {
    expect(problems('split "a b" into parts\n    say "x"\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:5: error: A call's block can only hold fact lines.
            say "x"
            ^^^^^^^
        fix: write lines like \`the tone is "friendly"\`; to run other steps, put them after the call, not under it."
    `);
  });

  it("a procedure defined inside a block", () => {
    expect(problems('if yes\n    to greet\n        say "hi"\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:5: error: A procedure can only be defined at the top level, not inside a block.
            to greet
            ^^^^^^^^
        fix: move this \`to …\` line and its block to the left margin."
    `);
  });
});

describe("check errors read as English with a fix", () => {
  it("an unknown procedure, with did you mean", () => {
    expect(problems('to approve an invoice\n    say "approved"\naprove the invoice\n')).toMatchInlineSnapshot(`
      "invoice.prose:3:1: error: I don't know how to "aprove the invoice".
        aprove the invoice
        ^^^^^^^^^^^^^^^^^^
        did you mean: approve {invoice} (invoice.prose:1:1)"
    `);
  });

  it("an unknown procedure with nothing close to it", () => {
    expect(problems("frobnicate the widget\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:1: error: I don't know how to "frobnicate the widget".
        frobnicate the widget
        ^^^^^^^^^^^^^^^^^^^^^
        fix: check the words of the line, or define the procedure with a \`to …\` line."
    `);
  });

  it("an unknown block line of a standard procedure, with its suggestion", () => {
    expect(problems('split "a,b" into parts\n    the delimeter is ","\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:5: error: "split {text} into parts" doesn't take a line about "the delimeter".
            the delimeter is ","
            ^^^^^^^^^^^^^
        did you mean: the delimiter"
    `);
  });

  it("a block line for a standard procedure that takes none", () => {
    expect(problems('make "a" uppercase\n    the tone is "x"\n')).toMatchInlineSnapshot(`
      "invoice.prose:2:5: error: "make {text} uppercase" doesn't take a line about "the tone".
            the tone is "x"
            ^^^^^^^^
        it takes no block lines"
    `);
  });

  it("a parallel loop assigning an outer fact", () => {
    expect(problems("the total is 0\nthe items are 1, 2\nprocess each item in the items in parallel\n    the total is the item\n")).toMatchInlineSnapshot(`
      "invoice.prose:4:5: error: This parallel loop changes "the total", a fact from outside the loop; each iteration has its own facts.
            the total is the item
            ^^^^^^^^^
        fix: store the result on the item (the item's …), or use a loop without "in parallel" (invoice.prose:3:1)."
    `);
  });

  it("`learn` of a file that does not exist", () => {
    expect(problems('learn "lib/approvals.prose"\n', "/scripts/invoice.prose")).toMatchInlineSnapshot(`
      "/scripts/invoice.prose:1:7: error: I can't find the file "lib/approvals.prose" to learn from (looked for /scripts/lib/approvals.prose).
        learn "lib/approvals.prose"
              ^^^^^^^^^^^^^^^^^^^^^
        fix: check the path; it is relative to this script's folder."
    `);
  });

  it("`learn` of a path that is not written in quotes", () => {
    expect(problems("learn the library\n")).toMatchInlineSnapshot(`
      "invoice.prose:1:1: error: \`learn\` needs the file's path written in quotes.
        learn the library
        ^^^^^^^^^^^^^^^^^
        fix: write it as \`learn "lib/approvals.prose"\`."
    `);
  });

  it("a procedure defined twice", () => {
    expect(problems('to greet a person\n    say "hi"\nto greet a person\n    say "hello"\n')).toMatchInlineSnapshot(`
      "invoice.prose:3:1: error: The procedure "greet {person}" is already defined at invoice.prose:1:1.
        to greet a person
        ^^^^^^^^^^^^^^^^^
        fix: give one of them another name, or remove one."
    `);
  });

  it("a call that matches two procedures equally well", () => {
    expect(problems('to add a thing to a pile\n    say "x"\nadd 1 to the counter\n')).toMatchInlineSnapshot(`
      "invoice.prose:3:1: error: "add 1 to the counter" matches more than one procedure equally well.
        add 1 to the counter
        ^^^^^^^^^^^^^^^^^^^^
        candidate: add {value} to {target} (standard library)
        candidate: add {thing} to {pile} (invoice.prose:1:1)
        fix: reword the line, or rename one of the procedures so their words differ."
    `);
  });

  it("a procedure whose name has no fixed word", () => {
    expect(problems('to a thing\n    say "x"\n')).toMatchInlineSnapshot(`
      "invoice.prose:1:1: error: A procedure's name needs at least one fixed word besides its inputs.
        to a thing
        ^^^^^^^^^^
        fix: write it like \`to approve an invoice\`."
    `);
  });
});
