import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { headlessCli } from "../support/headless-cli.js";

const cli = headlessCli("inputs-win");
const prose = cli.prose;

describe("--input over a script's default", () => {
  it("wins in the run, in --json facts, and again when the run is resumed", async () => {
    const path = join(cli.folder(), "tax.prose");
    writeFileSync(path, 'the income tax rate is 22.5%\nsay "Rate: {the income tax rate}"\nsay "Approved by {the approver}"\n');
    const first = await prose("run", path, "--input", "income tax rate=30%", "--json");
    expect(first.code).toBe(3);
    const waiting = JSON.parse(first.out[0]) as { runId: string; output: string[]; facts: Record<string, unknown> };
    expect(waiting.output).toEqual(["Rate: 30%"]);
    expect(waiting.facts["income tax rate"]).toEqual({ percent: 30, text: "30%" });
    const resumed = await prose("run", "--resume", waiting.runId, "--answer", "the approver=Ann", "--json");
    expect(resumed.code).toBe(0);
    const done = JSON.parse(resumed.out[0]) as { output: string[]; facts: Record<string, unknown> };
    expect(done.output).toEqual(["Rate: 30%", "Approved by Ann"]);
    expect(done.facts["income tax rate"]).toEqual({ percent: 30, text: "30%" });
  });
});
