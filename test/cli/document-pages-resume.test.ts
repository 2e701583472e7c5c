import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { headlessCli } from "../support/headless-cli.js";
import { invoicePdf, twoPagePdf } from "../support/document-fixtures.js";

const cli = headlessCli("document-resume");
const prose = cli.prose;

describe("a PDF's pages and text in a resumed run", () => {
  it("are read from the journal, as the first attempt saw them", async () => {
    writeFileSync(join(cli.folder(), "invoice.pdf"), twoPagePdf());
    const path = join(cli.folder(), "check.prose");
    writeFileSync(path, 'read the file "invoice.pdf"\nsay the file\'s pages\nsay "Approved by {the approver}"\nsay the file\'s pages\n');
    const first = await prose("run", path, "--json");
    const waiting = JSON.parse(first.out[0]) as { runId: string; output: string[] };
    expect(waiting.output).toEqual(["2"]);
    writeFileSync(join(cli.folder(), "invoice.pdf"), invoicePdf());
    const resumed = await prose("run", "--resume", waiting.runId, "--answer", "the approver=Ann", "--json");
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.out[0]) as { output: string[] }).output).toEqual(["2", "Approved by Ann", "2"]);
  });
});
