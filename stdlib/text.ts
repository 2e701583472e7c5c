import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { blockText, textArgument, listArgument, argument } from "./arguments.js";
import { displayFact } from "../src/runtime/display.js";
import { jsonToFact } from "../src/runtime/json-to-fact.js";
import { list, number, text, type ListValue } from "../src/runtime/values.js";
import { LIST_ITEMS } from "../src/syntax/limits.js";

/** The parts of a text at each delimiter; with a space (the default), its words, however many spaces or line breaks lie between them. */
function splitText(call: ProcedureCall): ListValue {
  const delimiter = blockText(call, "delimiter", " ");
  const whole = textArgument(call, "text");
  // One part more than a list may hold is enough to say it is too many (`list` refuses it),
  // without first making a hundred million texts.
  const most = LIST_ITEMS.most + 1;
  const parts = delimiter === " " ? whole.trim().split(/\s+/, most).filter((part) => part !== "") : whole.split(delimiter, most);
  return list(parts.map((part) => text(part)));
}

export const textProcedures: StandardProcedure[] = [
  {
    pattern: "split {text} into parts",
    resultName: "parts",
    blockLines: ["delimiter"],
    description: "Splits a text into a list of parts at each delimiter (a space unless `the delimiter is …`).",
    run: splitText,
  },
  {
    pattern: "split {text}",
    resultName: "parts",
    blockLines: ["delimiter"],
    description: "Splits a text into its words (or into parts at `the delimiter is …`), as `the parts`.",
    run: splitText,
  },
  {
    pattern: "count the words in {text}",
    resultName: "word count",
    blockLines: [],
    description: "Counts the words of a text (runs of letters or digits between spaces; a lone dash is not a word), as `the word count`.",
    run: (call) => {
      let count = 0;
      for (const piece of textArgument(call, "text").split(/\s+/)) if (/[\p{L}\p{N}]/u.test(piece)) count++;
      return number(count);
    },
  },
  {
    pattern: "join {list}",
    resultName: "text",
    blockLines: ["separator"],
    description: "Joins the items of a list into one text (with `the separator is …`, a space by default).",
    run: (call) => text(listArgument(call, "list").map(displayFact).join(blockText(call, "separator", " "))),
  },
  {
    pattern: "make {text} uppercase",
    changesInPlace: "text",
    blockLines: [],
    description: "Turns a text into capital letters.",
    run: (call) => text(textArgument(call, "text").toUpperCase()),
  },
  {
    pattern: "make {text} lowercase",
    changesInPlace: "text",
    blockLines: [],
    description: "Turns a text into small letters.",
    run: (call) => text(textArgument(call, "text").toLowerCase()),
  },
  {
    pattern: "replace {old} with {new} in {text}",
    changesInPlace: "text",
    blockLines: [],
    description: "Replaces every occurrence of one text with another.",
    run: (call) => text(textArgument(call, "text").split(textArgument(call, "old")).join(textArgument(call, "new"))),
  },
  {
    pattern: "convert {value} to text",
    changesInPlace: "value",
    blockLines: [],
    description: "Turns any value into its text, as `say` would show it.",
    run: (call) => text(displayFact(argument(call, "value"))),
  },
  {
    pattern: "parse {text} as json",
    resultName: "json",
    blockLines: [],
    description: "Reads a JSON text into facts: objects become records, arrays become lists.",
    run: (call) => {
      // Already data (a .json or .csv file opens as its content): the same data, as a copy.
      const given = argument(call, "text");
      if (given.hasAttributes() || given.value.kind === "list") return given.copy();
      const source = textArgument(call, "text");
      try {
        return jsonToFact(JSON.parse(source));
      } catch (problem) {
        if (problem instanceof SyntaxError) call.fail(`This text is not valid JSON: ${problem.message}.`, "fix: check the text, or print it with `say` to see what it holds.");
        throw problem;
      }
    },
  },
];
