import { describe, expect, it } from "vitest";
import { failure, waiting } from "../support/expectations.js";
import { lines, output, run, runScript } from "../support/run-script.js";

describe("facts", () => {
  it("`is` binds one value, `are` a list; names are case-insensitive with runs of spaces as one", async () => {
    const result = await run(lines('the very   special greeting is "Hello"', "the interest rates are 5.67, 6.25", 'the coupon codes are "SAVE20", "SALE2024" and "JUST4U"', 'the single are "A"', "say THE Very Special greeting"));
    expect(result.output).toEqual(["Hello"]);
    expect(result.facts).toEqual({ "very special greeting": "Hello", "interest rates": [5.67, 6.25], "coupon codes": ["SAVE20", "SALE2024", "JUST4U"], single: ["A"] });
  });

  it("`set … to …` and `use … as …` assign like `is`", async () => {
    const result = await run(lines("set the total to 10", "use the total as the order total", 'set the names to "a", "b"'));
    expect(result.facts).toEqual({ total: 10, "order total": 10, names: ["a", "b"] });
  });

  it("a plain value is copied, a record is shared", async () => {
    const source = lines("the a is 1", "the b is the a", "the a is 2", 'the invoice\'s status is "open"', "the copy is the invoice", 'the copy\'s status is "closed"', "say the b", "say the invoice's status");
    expect(await output(source)).toEqual(["1", "closed"]);
  });
});

describe("possessives", () => {
  it("reach into a fact and create attributes when assigned", async () => {
    const result = await run(lines("the invoice's total is $120.20", 'the invoice\'s customer\'s address\'s city is "Paris"', "say the invoice's customer's address's city"));
    expect(result.output).toEqual(["Paris"]);
    expect(result.facts).toEqual({ invoice: { total: 120.2, customer: { address: { city: "Paris" } } } });
  });

  it("keep the attributes when the fact's own value is assigned", async () => {
    const result = await run(lines('the invoice\'s status is "approved"', 'the invoice is "INV-7"', "say the invoice", "say the invoice's status"));
    expect(result.output).toEqual(["INV-7", "approved"]);
    expect(result.facts).toEqual({ invoice: { value: "INV-7", status: "approved" } });
  });

  it("accept a curly apostrophe", async () => {
    expect(await output(lines("the invoice’s total is 5", "say the invoice's total"))).toEqual(["5"]);
  });

  it("on a list reach into every item", async () => {
    expect(await output(lines("the first invoice's total is 5", "the second invoice's total is 7", "say the sum of the invoices' totals", "say the invoices's total"))).toEqual(["12", "5 and 7"]);
  });

  it("on a value without attributes is an English error with file:line:col", async () => {
    expect(await failure(lines("the age is 21", "say the age's unit"))).toEqual({
      message: 'the age is a number ("21") with no attributes, so it has no "unit".',
      at: "/scripts/main.prose:2:15",
      fix: "fix: set it first, as in `the age's unit is …`, or use the age itself.",
    });
  });

  it("on a record without that attribute ask for it", async () => {
    const result = await waiting(lines('the vendor\'s name is "Acme"', "say the vendor's email"));
    expect(result.questions).toMatchObject([{ kind: "value", text: "What is the vendor's email?", at: "/scripts/main.prose:2:9", subject: "the vendor's email" }]);
  });
});

describe("ordinals", () => {
  it("pick items of the plural fact, including numbered ordinals and `last`", async () => {
    expect(await output(lines('the vendors are "A", "B", "C"', "say the first vendor", "say the 2nd vendor", "say the third vendor", "say the last vendor", "say the LAST Vendor"))).toEqual(["A", "B", "C", "C", "C"]);
  });

  it("build a list by ordinal assignment, with attributes on its items", async () => {
    const source = lines('the first field is "po number"', 'the first field\'s format is "string"', 'the second field is "date"', 'the second field\'s format is "date"', "say the number of fields", "say the fields", "say the last field's format");
    const result = await run(source);
    expect(result.output).toEqual(["2", "po number and date", "date"]);
    expect(result.facts).toEqual({ fields: [{ value: "po number", format: "string" }, { value: "date", format: "date" }] });
  });

  it("build records from possessive ordinals alone", async () => {
    const result = await run(lines("the first line's amount is 5", "the second line's amount is 7", "the 3rd line's amount is 1"));
    expect(result.facts).toEqual({ lines: [{ amount: 5 }, { amount: 7 }, { amount: 1 }] });
  });

  it("`the last …` replaces the last item, and creates the first of an empty list", async () => {
    const result = await run(lines('the last item is "x"', 'the last item is "y"', 'the second item is "z"', 'the last item is "w"'));
    expect(result.facts).toEqual({ items: ["y", "w"] });
  });

  it("reach into attributes: the invoice's first line", async () => {
    expect(await output(lines("the invoice's first line is 5", "the invoice's second line is 6", "say the invoice's lines", "say the invoice's last line"))).toEqual(["5 and 6", "6"]);
  });

  it("past the end is an English error with file:line:col", async () => {
    expect(await failure(lines('the vendors are "A", "B"', "say the third vendor"))).toEqual({
      message: "There is no third vendor: the vendors have 2 items.",
      at: "/scripts/main.prose:2:9",
      fix: "fix: check the number of items first, as in `if the number of vendors is at least 3`.",
    });
  });

  it("past the end of an empty list", async () => {
    expect((await failure(lines("the vendors are nothing", "say the last vendor"))).message).toBe("There is no last vendor: the vendors have 0 items.");
  });

  it("skipping an item when building a list is an English error", async () => {
    expect(await failure(lines('the first item is "a"', 'the third item is "c"'))).toEqual({
      message: "I can't set the third item yet: the items have 1 item.",
      at: "/scripts/main.prose:2:5",
      fix: "fix: set the second item first.",
    });
  });

  it("on a fact that is not a list is an English error", async () => {
    expect((await failure(lines('the vendors is "A"', "say the first vendor"))).message).toBe('"the first vendor" picks an item of the vendors, but the vendors is a text, not a list.');
  });

  it("ask for the list when it is unknown and the script speaks of the list", async () => {
    const result = await waiting(lines("say the first vendor", "say the number of vendors"));
    expect(result.questions.map((question) => question.text)).toEqual(["What are the vendors?"]);
  });

  it("ask for the plain fact when the script never speaks of the list", async () => {
    const result = await waiting(lines("say the first vendor"));
    expect(result.questions.map((question) => question.text)).toEqual(["What is the first vendor?"]);
  });
});

describe("the above", () => {
  it("is the value just assigned or the result of the last call", async () => {
    const source = lines("the total is 5", "say the above", "add 3 to the total", "say the above", 'split "a b c" into parts', "say the number of the above", "say the above");
    expect(await output(source)).toEqual(["5", "8", "3", "a, b and c"]);
  });

  it("is nothing at the start", async () => {
    expect(await output(lines("say the above"))).toEqual(["nothing"]);
  });

  it("keeps a record's attributes", async () => {
    expect(await output(lines("to build the badge of a person", "    the result's title is the person", 'build the badge of "Jo"', "say the above's title"))).toEqual(["Jo"]);
  });

  it("`the above's …` for an attribute it lacks is an English error, not a question", async () => {
    const source = lines("to build the badge of a person", "    the result's title is the person", 'build the badge of "Jo"', "if the above's colour does not exist", '    say "no colour"', "say the above's colour");
    const outcome = await runScript(source, { answers: { "the above's colour": { value: "red" } } });
    expect(outcome.result).toMatchObject({
      status: "failed",
      output: ["no colour"],
      error: { message: 'The value of the line above has nothing called "colour".', at: "/scripts/main.prose:6:5", fix: "fix: check what the line above produces, or name its result with `as the …` and use that name." },
    });
  });
});

describe("proper names", () => {
  it("own facts without `the`, kept as written", async () => {
    const result = await run(lines("John's age is 21", 'Acme\'s address is "1 Main St"', "say John's age", 'say "{Acme\'s address}"', "if John's age is at least 18", '    say "adult"'));
    expect(result.output).toEqual(["21", "1 Main St", "adult"]);
    expect(result.facts).toEqual({ John: { age: 21 }, Acme: { address: "1 Main St" } });
  });

  it("are asked about by their own name", async () => {
    const result = await waiting(lines("say Mary's age"));
    expect(result.questions.map((question) => question.text)).toEqual(["What is Mary's age?"]);
  });

  it("stay words like any other inside a name with `the`", async () => {
    expect(await output(lines("the Invoice's total is 5", "say the invoice's total"))).toEqual(["5"]);
  });
});

describe("`use X as the Y`", () => {
  it("makes Y another name for X: changes through either name are seen through both", async () => {
    const source = lines(
      'the invoice\'s number is "INV-7"',
      "use the invoice as the current invoice",
      'the current invoice\'s status is "paid"',
      "say the invoice's status",
      "the invoice is 5",
      "say the current invoice",
      "the total is 10",
      "use the total as the order total",
      "the order total is 12",
      "say the total",
    );
    const result = await run(source);
    expect(result.output).toEqual(["paid", "5", "12"]);
    expect(result.facts).toMatchObject({ invoice: { value: 5, number: "INV-7", status: "paid" }, "current invoice": { value: 5, number: "INV-7", status: "paid" }, total: 12, "order total": 12 });
  });

  it("still assigns a plain value, and `the Y is X` still copies one", async () => {
    const result = await run(lines("use 5 as the limit", "the total is 10", "the copy is the total", "the total is 11", "say the copy", "say the limit"));
    expect(result.output).toEqual(["10", "5"]);
  });
});
