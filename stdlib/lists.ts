import type { StandardProcedure } from "../src/runtime/procedure.js";
import { blockText, listArgument } from "./arguments.js";
import { compareValues } from "../src/runtime/compare.js";
import { display } from "../src/runtime/display.js";
import type { Fact } from "../src/runtime/values.js";

export const listProcedures: StandardProcedure[] = [
  {
    pattern: "sort {list}",
    changesInPlace: "list",
    blockLines: ["order", "key"],
    description: 'Sorts a list, ascending unless `the order is "descending"`; `the key is "total"` sorts records by an attribute.',
    run: (call) => {
      const items = [...listArgument(call, "list")];
      const order = blockText(call, "order", "ascending").trim().toLowerCase();
      if (order !== "ascending" && order !== "descending") call.fail(`\`the order\` must be "ascending" or "descending", not "${order}".`);
      const key = call.block.has("key") ? blockText(call, "key", "").trim().toLowerCase() : undefined;
      const sortValue = (item: Fact) => (key ? item.attribute(key)?.value ?? item.value : item.value);
      items.sort((a, b) => {
        const ordering = compareValues(sortValue(a), sortValue(b));
        if (ordering === undefined) return call.fail(`I can't sort these items: "${display(sortValue(a))}" and "${display(sortValue(b))}" are not of one kind.`, "fix: sort a list of numbers, dates or texts, or give `the key is …`.");
        return order === "descending" ? -ordering : ordering;
      });
      return { kind: "list", items };
    },
  },
];
