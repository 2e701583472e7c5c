import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The folder rules of .dependency-cruiser.cjs (`npm run depcheck`), run by the real checker on a
 * small project of its own: each import below is one file importing another, and the checker
 * must name exactly the ones that go against the chain (a back-edge fails the build).
 */

const repository = resolve(import.meta.dirname, "../..");
const checker = join(repository, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const config = join(repository, ".dependency-cruiser.cjs");

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let project: string;

function write(path: string, imports: string[] = [], typeImports: string[] = []): void {
  const file = join(project, path);
  mkdirSync(dirname(file), { recursive: true });
  const lines = [
    ...imports.map((target, index) => `import { value as v${index} } from "${relativeImport(path, target)}";`),
    ...typeImports.map((target, index) => `import type { Shape as T${index} } from "${relativeImport(path, target)}";`),
    "export interface Shape { n: number }",
    `export const value = ${imports.map((_, index) => `v${index}`).join(" + ") || "1"};`,
  ];
  writeFileSync(file, lines.join("\n") + "\n");
}

function relativeImport(from: string, to: string): string {
  const fromParts = dirname(from).split("/");
  const toParts = to.split("/");
  while (fromParts.length > 0 && fromParts[0] === toParts[0]) {
    fromParts.shift();
    toParts.shift();
  }
  const up = fromParts.length === 0 ? "./" : "../".repeat(fromParts.length);
  return up + toParts.join("/").replace(/\.ts$/, ".js");
}

/** Runs the checker as `npm run depcheck` does, with the given output type. */
function cruise(outputType: "json" | "err"): Promise<{ exitCode: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [checker, "--config", config, "--output-type", outputType, "grammar", "src", "stdlib", "test"], { cwd: project, maxBuffer: 16 * 1024 * 1024 }, (problem, stdout, stderr) => {
      done({ exitCode: problem ? Number((problem as { code?: unknown }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

const edge = (violation: Violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`;

describe("the folder chain's dependency rules", () => {
  let violations: string[] = [];
  let report = { exitCode: 0, output: "" };

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), "prose-depcheck-"));
    // Every allowed direction, once.
    write("src/platform/atomic.ts");
    write("grammar/tokens.ts", ["src/platform/atomic.ts"]);
    write("src/syntax/ast.ts", ["grammar/tokens.ts"]);
    write("src/check/phrasebook.ts", ["src/syntax/ast.ts", "grammar/tokens.ts"]);
    write("src/llm/model.ts", ["src/platform/atomic.ts"]);
    write("src/byom/store.ts", ["src/llm/model.ts"]);
    write("src/runtime/interpreter.ts", ["src/check/phrasebook.ts", "src/llm/model.ts"]);
    write("stdlib/registry.ts", ["src/runtime/interpreter.ts", "src/check/phrasebook.ts"]);
    write("src/session/compile.ts", ["stdlib/registry.ts", "src/byom/store.ts"]);
    write("src/cli/main.ts", ["src/session/compile.ts", "src/byom/store.ts", "stdlib/registry.ts", "src/syntax/ast.ts"]);
    write("test/anything.test.ts", ["src/cli/main.ts", "grammar/tokens.ts", "src/byom/store.ts"]);
    // Back-edges, one per rule, among them a type-only import (a type is a dependency too).
    write("grammar/lexer.ts", ["src/syntax/ast.ts"]);
    write("src/syntax/walk.ts", ["src/check/phrasebook.ts"]);
    write("src/check/check-script.ts", [], ["stdlib/registry.ts"]);
    write("src/runtime/run-session.ts", ["src/session/compile.ts"]);
    write("stdlib/llm.ts", ["src/byom/store.ts"]);
    write("src/session/serve.ts", ["src/cli/main.ts"]);
    write("src/llm/sources.ts", ["src/runtime/interpreter.ts"]);
    write("src/byom/add.ts", ["src/cli/main.ts"]);
    write("src/platform/files.ts", ["src/llm/model.ts"]);
    // A folder with no place in the chain.
    write("src/elsewhere/helper.ts");
    write("src/cli/other.ts", ["src/elsewhere/helper.ts"]);
    const json = await cruise("json");
    violations = (JSON.parse(json.output) as { summary: { violations: Violation[] } }).summary.violations.map(edge).sort();
    report = await cruise("err");
  }, 60_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("names every back-edge and nothing else", () => {
    expect(violations).toEqual(
      [
        "grammar-imports-only-earlier-folders: grammar/lexer.ts → src/syntax/ast.ts",
        "syntax-imports-only-earlier-folders: src/syntax/walk.ts → src/check/phrasebook.ts",
        "check-imports-only-earlier-folders: src/check/check-script.ts → stdlib/registry.ts",
        "runtime-imports-only-earlier-folders: src/runtime/run-session.ts → src/session/compile.ts",
        "stdlib-imports-only-earlier-folders: stdlib/llm.ts → src/byom/store.ts",
        "session-imports-only-earlier-folders: src/session/serve.ts → src/cli/main.ts",
        "llm-imports-only-earlier-folders: src/llm/sources.ts → src/runtime/interpreter.ts",
        "byom-imports-only-earlier-folders: src/byom/add.ts → src/cli/main.ts",
        "platform-imports-only-earlier-folders: src/platform/files.ts → src/llm/model.ts",
        "src-folders-are-placed-in-the-chain: src/cli/other.ts → src/elsewhere/helper.ts",
      ].sort(),
    );
  });

  it("fails the run on a back-edge, naming the rule and the files", () => {
    expect(report.exitCode).not.toBe(0);
    expect(report.output).toContain("error grammar-imports-only-earlier-folders: grammar/lexer.ts → src/syntax/ast.ts");
    expect(report.output).toContain("10 dependency violations");
  });
});
