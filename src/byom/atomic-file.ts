import { randomBytes } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { ByomError } from "./byom-error.js";

/**
 * Writes a file so that a reader sees either the old contents or the new, never a mix:
 * the text goes to a temporary file beside it, is flushed to disk, then renamed over it.
 */
export async function writeFileAtomically(path: string, text: string, mode = 0o644): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", mode);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (problem) {
    await rm(temporary, { force: true });
    throw problem;
  }
}

const lockPollMilliseconds = 15;
const lockWaitMilliseconds = 10_000;
/** A lock older than this was left by a process that died; it is taken over. */
const staleLockMilliseconds = 60_000;

/**
 * Runs `work` while holding `<path>.lock`, so that two `prose byom` commands changing the
 * same file do not lose each other's change. The lock is a file created exclusively.
 */
export async function withFileLock<Result>(path: string, work: () => Promise<Result>): Promise<Result> {
  const lock = `${path}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lock, "wx", 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (problem) {
      if ((problem as NodeJS.ErrnoException).code !== "EEXIST") throw problem;
      const age = await lockAge(lock);
      if (age !== undefined && age > staleLockMilliseconds) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() - started > lockWaitMilliseconds) {
        throw new ByomError(`${path} is locked by another prose command (${lock} exists).`, `Wait for the other command to finish; if none is running, delete ${lock}.`);
      }
      await new Promise((resolve) => setTimeout(resolve, lockPollMilliseconds));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

async function lockAge(lock: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(lock)).mtimeMs;
  } catch {
    return undefined;
  }
}
