import { describe, expect, it } from "vitest";
import { lines, runSource } from "../../support/run-source.js";

describe("`is started by` and `is ended by`", () => {
  it("say what `starts with` and `ends with` say", async () => {
    const result = await runSource(
      lines(
        'the code is "SAVE20"',
        'say the code is started by "SAVE"',
        'say the code starts with "SAVE"',
        'say the code is ended by "20"',
        'say the code ends with "20"',
        'say the code is not started by "SALE"',
        'say "SAVE" is started by the code',
      ),
    );
    expect(result.output).toEqual(["yes", "yes", "yes", "yes", "yes", "no"]);
  });
});
