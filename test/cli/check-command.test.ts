import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

/** `prose check`: warnings, `--strict` for CI, and `--inputs` (LANGUAGE.md §10.5). */

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-check-"));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

function script(name: string, source: string): string {
  const path = join(folder, name);
  writeFileSync(path, source);
  return path;
}

async function prose(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { ...process.env, PROSE_HOME: join(folder, "workspace") });
  return { code, out, err };
}

const typo = 'the invoice total is 120\nsay "Total: {the invoice totl}"\n';

describe("prose check", () => {
  it("shows a fact read but never set, close to a set one, as a warning, and exits 0", async () => {
    const path = script("typo.prose", typo);
    const outcome = await prose("check", path);
    expect(outcome.code).toBe(0);
    expect(outcome.out).toEqual([`${path}: no errors, 1 warning`]);
    expect(outcome.err.join("\n")).toBe(
      [
        `${path}:2:14: warning: "the invoice totl" is read here but never set.`,
        '  say "Total: {the invoice totl}"',
        "               ^^^^^^^^^^^^^^^^",
        "  did you mean: the invoice total",
        '  fix: correct the name, or set "the invoice totl" (or give it with --input) if it is another fact.',
        "1 warning found (`prose check --strict` makes warnings errors).",
      ].join("\n"),
    );
  });

  it("with --strict, makes warnings errors and exits 2", async () => {
    const path = script("strict.prose", typo);
    const outcome = await prose("check", "--strict", path);
    expect(outcome.code).toBe(2);
    expect(outcome.out).toEqual([]);
    expect(outcome.err[0].split("\n")[0]).toBe(`${path}:2:14: error: "the invoice totl" is read here but never set.`);
    expect(outcome.err.at(-1)).toBe("1 error found.");
  });

  it("with --strict, still passes a script without warnings", async () => {
    const path = script("clean.prose", 'the name is "x"\nsay the name\n');
    expect(await prose("check", "--strict", path)).toEqual({ code: 0, out: [`${path}: no problems found`], err: [] });
  });

  it("with --inputs, lists the facts the script expects from outside, and which are asked with get", async () => {
    const path = script("inputs.prose", "get the vendor's email\nsay the total + the tax\nthe tax is 5\nsay the tax\n");
    const outcome = await prose("check", "--inputs", path);
    expect(outcome).toEqual({
      code: 0,
      out: [`the vendor's email  (asked with get at ${path}:1:5)`, `the total           (read at ${path}:2:5)`, `the tax             (read at ${path}:2:17)`],
      err: [],
    });
  });

  it("with --inputs --json, prints one JSON object", async () => {
    const path = script("inputs-json.prose", "say the order number\n");
    const outcome = await prose("check", "--inputs", "--json", path);
    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.out.join("\n"))).toEqual({ inputs: [{ name: "the order number", kind: "read", at: `${path}:1:5` }] });
  });

  it("with --inputs, says so when a script expects none", async () => {
    const path = script("no-inputs.prose", 'say "hi"\n');
    expect(await prose("check", "--inputs", path)).toEqual({ code: 0, out: ["This script expects no inputs."], err: [] });
  });

  it("refuses --json without --inputs, saying what goes with it", async () => {
    const path = script("json-alone.prose", 'say "hi"\n');
    const outcome = await prose("check", "--json", path);
    expect(outcome.code).toBe(2);
    expect(outcome.err.join("\n")).toContain("--inputs");
  });
});
