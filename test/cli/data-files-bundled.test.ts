import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildIfStale, spawnProse } from "../support/built-cli.js";
import { twoPagePdf } from "../support/document-fixtures.js";

/**
 * The bundled `prose` loads its CSV parser, its JSON error locator and pdfjs lazily, from chunks
 * or node_modules: each must load from the bundle, not only from the sources.
 */
let folder: string;
beforeAll(() => buildIfStale(), 120_000);
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-data-files-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function prose(script: string, files: Record<string, string | Uint8Array>): Promise<{ code: number | string; out: string; err: string }> {
  for (const [name, contents] of Object.entries(files)) writeFileSync(join(folder, name), contents);
  writeFileSync(join(folder, "main.prose"), script);
  const run = spawnProse(["run", "main.prose"], { cwd: folder, env: { PROSE_HOME: join(folder, "workspace") } });
  const code = await run.exited;
  return { code, out: run.stdout(), err: run.stderr() };
}

describe("data files in the bundled prose", () => {
  it("reads a CSV table, a JSON record and a PDF's pages", async () => {
    const script = 'read the file "t.csv" as the table\nread the file "c.json" as the customer\nread the file "a.pdf" as the invoice\nsay the sum of the table\'s hours\nsay the customer\'s name\nsay the invoice\'s pages\n';
    const outcome = await prose(script, { "t.csv": "name,hours\nAnn,3\nBob,4.5\n", "c.json": '{"name": "Ann"}', "a.pdf": twoPagePdf() });
    expect(outcome).toMatchObject({ code: 0, out: "7.5\nAnn\n2\n" });
  });

  it("tells where a JSON file and a CSV file broke", async () => {
    const json = await prose('read the file "bad.json"\n', { "bad.json": '{"a": 1,\n "b" 2}' });
    expect(json.code).toBe(1);
    expect(json.err).toContain('The file "bad.json" is not valid JSON: at line 2, column 6, a colon was expected.');
    const csv = await prose('read the file "bad.csv"\n', { "bad.csv": 'a,b\n1,"2\n' });
    expect(csv.err).toContain('The file "bad.csv" is not a valid CSV table at line 2: a quoted field is never closed.');
  });
});
