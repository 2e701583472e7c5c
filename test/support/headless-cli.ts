import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { main } from "../../src/cli/main.js";

export interface CliResult {
  code: number;
  out: string[];
  err: string[];
}

export interface HeadlessCli {
  /** This test's own folder (made fresh for each test, removed after it). */
  folder(): string;
  /** `prose …` through `main`, with the folder's own workspace (PROSE_HOME) and the folder as the current one. */
  prose(...argv: string[]): Promise<CliResult>;
}

/**
 * The CLI headless — stdin is no terminal, so a question makes a run wait — in a fresh temporary
 * folder for each test of the file that calls it (it registers its own before/after hooks).
 */
export function headlessCli(prefix: string): HeadlessCli {
  let folder = "";
  const stdinWasTerminal = process.stdin.isTTY;
  beforeAll(() => {
    Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true });
  });
  afterAll(() => {
    Object.defineProperty(process.stdin, "isTTY", { value: stdinWasTerminal, configurable: true });
  });
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), `prose-${prefix}-`));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });
  return {
    folder: () => folder,
    async prose(...argv: string[]): Promise<CliResult> {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { PROSE_HOME: join(folder, "workspace") }, { currentDirectory: folder });
      return { code, out, err };
    },
  };
}
