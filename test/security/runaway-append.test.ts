import { describe, expect, it } from "vitest";
import { lines, output } from "../support/run-script.js";
import { appendItem, claim, release } from "../../src/runtime/list-ownership.js";
import { Fact, list, text, type ListValue } from "../../src/runtime/values.js";

/**
 * Finding 9: appending to a list was quadratic (80,000 appends: 48 s), because `add … to` copied
 * the list each time. A list is now appended in place while only its own fact holds it; every
 * other name that holds it keeps the items it had (the speed is measured in test/bench/).
 */
describe("add … to a list appends in place only while no other name holds the list", () => {
  it("appends to the list its fact owns without copying it again", () => {
    const names = new Fact(list([text("a")]));
    const first = appendItem(names, names.value as ListValue, new Fact(text("b")));
    expect(first).not.toBe(names.value); // the list was not owned yet: copied once
    const owner = new Fact(first);
    claim(owner);
    const second = appendItem(owner, first, new Fact(text("c")));
    expect(second).toBe(first);
    expect(second.items.map((item) => (item.value as { text: string }).text)).toEqual(["a", "b", "c"]);
    release(owner);
    expect(appendItem(owner, second, new Fact(text("d")))).not.toBe(second);
  });

  it("keeps a copy made between appends as it was", async () => {
    expect(await output(lines('the names are "a"', 'add "b" to the names', 'add "c" to the names', "the copy is the names", 'add "d" to the names', 'add "e" to the names', "say the copy", "say the names"))).toEqual(["a, b and c", "a, b, c, d and e"]);
  });

  it("keeps a list that holds the list as it was", async () => {
    expect(await output(lines('the names are "a"', 'add "b" to the names', "the pairs are the names, \"z\"", 'add "c" to the names', "say the number of the first pair", "say the names"))).toEqual(["2", "a, b and c"]);
  });

  it("keeps `the above` as it was", async () => {
    expect(await output(lines("the items are nothing", "add 1 to the items", "add 2 to the items", "the snapshot is the above", "add 3 to the items", "say the snapshot", "say the items"))).toEqual(["1 and 2", "1, 2 and 3"]);
  });

  it("leaves the list alone when the result has another name", async () => {
    expect(await output(lines("the items are nothing", "add 1 to the items", "add 2 to the items", "add 3 to the items as the others", "add 4 to the items", "say the others", "say the items"))).toEqual(["1, 2 and 3", "1, 2 and 4"]);
  });

  it("leaves the caller's list alone when a procedure appends to its input or to a global list", async () => {
    const script = lines(
      "to extend a list",
      '  add "x" to the list',
      "  the result is the list",
      "to note a thing",
      "  add the thing to the log",
      "the log are nothing",
      'add "a" to the log',
      'add "b" to the log',
      "extend the log",
      "say the result",
      'note "c"',
      "say the log",
      'add "d" to the log',
      "say the log",
    );
    expect(await output(script)).toEqual(["a, b and x", "a and b", "a, b and d"]);
  });

  it("appends through a possessive, and a loop over the list sees the items it started with", async () => {
    expect(await output(lines("the order's tags are \"new\"", 'add "paid" to the order\'s tags', 'add "sent" to the order\'s tags', "say the order's tags"))).toEqual(["new, paid and sent"]);
    expect(await output(lines("the items are 1", "add 2 to the items", "process each item in the items", "  add the item to the items", "say the items"))).toEqual(["1, 2, 1 and 2"]);
  });

  it("shows and counts the list between appends, and a copy made after that keeps its items", async () => {
    const script = lines("the items are nothing", "repeat 3 times", "  add 1 to the items", "  say \"{the number of items}: {the items}\"", "say the items", "the copy is the items", "add 2 to the items", "say the copy", "say the items");
    expect(await output(script)).toEqual(["1: 1", "2: 1 and 1", "3: 1, 1 and 1", "1, 1 and 1", "1, 1 and 1", "1, 1, 1 and 2"]);
  });

  it("80,000 appends make a list of 80,000 items", async () => {
    expect(await output(lines("the items are nothing", "repeat 80000 times", "  add 1 to the items", "say the number of items"))).toEqual(["80000"]);
  });
});
