import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { CliServices } from "../../src/cli/cli-services.js";
import { main } from "../../src/cli/main.js";

export interface Outcome {
  code: number;
  out: string[];
  err: string[];
}

/**
 * A temporary folder laid out as an operator's machine: `project/` holds the scripts (their files
 * root by default) and the workspace `project/.prose/`; `keys/master.key` is the master-key file
 * (PROSE_KEY_FILE, outside the project); `outside/` is a folder no script may reach unless allowed.
 */
export class ConfinementHarness {
  readonly folder = mkdtempSync(join(tmpdir(), "prose-confinement-"));
  readonly project = join(this.folder, "project");
  readonly workspace = join(this.project, ".prose");
  readonly outside = join(this.folder, "outside");
  readonly keyFile = join(this.folder, "keys", "master.key");
  /** The master key as the key file holds it (base64 of 32 bytes). */
  readonly keyText = randomBytes(32).toString("base64");
  environment: Record<string, string>;
  services: CliServices = {};

  constructor() {
    mkdirSync(this.project, { recursive: true });
    mkdirSync(this.outside, { recursive: true });
    mkdirSync(join(this.folder, "keys"), { recursive: true, mode: 0o700 });
    writeFileSync(this.keyFile, `${this.keyText}\n`, { mode: 0o600 });
    this.environment = { PROSE_KEY_FILE: this.keyFile, HOME: join(this.folder, "home") };
  }

  /** Every form the key could take in an echo: its text, base64/base64url/hex of its text and of its bytes. */
  get keyForms(): string[] {
    const bytes = Buffer.from(this.keyText, "base64");
    const text = Buffer.from(this.keyText);
    return [
      this.keyText,
      this.keyText.slice(4, 28),
      text.toString("base64").slice(0, 40),
      text.toString("base64url").slice(0, 40),
      text.toString("hex").slice(0, 40),
      bytes.toString("hex"),
      bytes.toString("base64url").slice(0, 40),
      encodeURIComponent(this.keyText),
    ];
  }

  /** Writes a file under the project (or at an absolute path); returns its path. */
  file(name: string, contents: string): string {
    const path = name.startsWith("/") ? name : join(this.project, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, contents);
    return path;
  }

  async prose(...argv: string[]): Promise<Outcome> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, this.environment, { currentDirectory: this.project, ...this.services });
    return { code, out, err };
  }

  /** `prose run <script> --workspace <workspace> …`. */
  async run(script: string, ...args: string[]): Promise<Outcome> {
    return this.prose("run", script, "--workspace", this.workspace, ...args);
  }

  /** No form of the key in any printed line. */
  expectNoKeyIn(outcome: Outcome): void {
    const printed = [...outcome.out, ...outcome.err].join("\n");
    for (const form of this.keyForms) expect(printed, "printed output").not.toContain(form);
  }

  /** No form of the key in any file of the workspace (journals, run records, usage). */
  expectNoKeyInWorkspace(): void {
    const files = filesUnder(this.workspace);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const contents = readFileSync(file, "latin1");
      for (const form of this.keyForms) expect(contents.includes(form), file).toBe(false);
    }
  }

  dispose(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

export function filesUnder(folder: string): string[] {
  const found: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return found;
  }
  for (const name of names) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path));
    else found.push(path);
  }
  return found;
}

/** The single JSON object printed by `--json`. */
export function jsonOf(outcome: Outcome): { status: string; output: string[]; error: { message: string; at: string | null; fix?: string } | null; runId?: string } {
  return JSON.parse(outcome.out.join("\n")) as ReturnType<typeof jsonOf>;
}
