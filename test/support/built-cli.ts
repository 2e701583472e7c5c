import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, where bin/prose.js and dist/ live. */
export const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const bundle = join(repositoryRoot, "dist", "cli", "prose.mjs");

/** Builds dist when a source file is newer than the bundle (or there is none): tests that spawn `prose` run the bundle. */
export function buildIfStale(): void {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return Math.max(latest, newest(path));
      return entry.name.endsWith(".ts") ? Math.max(latest, statSync(path).mtimeMs) : latest;
    }, 0);
  const sources = Math.max(...["src", "stdlib", "grammar"].map((dir) => newest(join(repositoryRoot, dir))));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: repositoryRoot, encoding: "utf8" });
  const bundling = spawnSync("npx", ["rolldown", "-c", "rolldown.config.mjs"], { cwd: repositoryRoot, encoding: "utf8" });
  if (bundling.status !== 0) throw new Error(`the build failed:\n${bundling.stdout}\n${bundling.stderr}`);
}

export interface SpawnedProse {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** The exit code, or the signal's name when a signal ended it. */
  exited: Promise<number | string>;
}

/** `prose ARGS` as a child process, with only the environment given (and PATH). */
export function spawnProse(args: string[], options: { cwd: string; env?: Record<string, string> }): SpawnedProse {
  const child = spawn(process.execPath, [join(repositoryRoot, "bin", "prose.js"), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

export async function until(condition: () => boolean, timeoutMilliseconds: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMilliseconds) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
