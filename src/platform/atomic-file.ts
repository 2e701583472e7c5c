import { randomBytes } from "node:crypto";
import { closeSync, constants, fchmodSync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { onForcedExit } from "./process-leftovers.js";

/** How the file written is to be. */
export interface AtomicWriteOptions {
  /** The file's permission bits, less the process's umask (as `open` gives them), unless `exactMode`. */
  mode: number;
  /**
   * Give the file `mode` exactly, whatever the umask (to keep the mode of the file it replaces):
   * the temporary file is 0600 until its contents are written, then takes the mode.
   */
  exactMode?: boolean;
}

const createFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** `.<name>.<pid>.<24 random hex>.tmp`, beside the file: hidden, unpredictable, and saying whose it is. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(12).toString("hex")}.tmp`);
}

const temporaryName = /\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * The process that made a temporary file named like `temporaryPathFor`'s (`<name>.<pid>.<hex>.tmp`,
 * the workspace lock's too); undefined for any other name. A tidy-up removes those whose process is gone.
 */
export function processOfTemporaryFile(name: string): number | undefined {
  const found = temporaryName.exec(name);
  return found === null ? undefined : Number(found[1]);
}

/**
 * The one way a file is replaced: readers see the old contents or the new, never a mix, and a
 * crash at any moment leaves one or the other (plus, at worst, a temporary file that names its
 * process). The contents go to a new temporary file beside the target — created exclusively,
 * never through a link (O_NOFOLLOW), under an unpredictable name — are flushed to disk, then the
 * temporary file is renamed over the target, and the folder is flushed too where the platform
 * allows. On a failure the temporary file is removed; a link at the target is replaced, never
 * written through. Text is written as UTF-8. Callers that change a shared folder hold its lock.
 */
export async function writeFileAtomically(path: string, contents: string | Uint8Array, options: AtomicWriteOptions): Promise<void> {
  const temporary = temporaryPathFor(path);
  // Outside the clean-up: a file found at the temporary name is not ours to remove.
  const handle = await open(temporary, createFlags, options.exactMode === true ? 0o600 : options.mode);
  const forget = onForcedExit(() => rmSync(temporary, { force: true }));
  try {
    try {
      await handle.writeFile(contents);
      if (options.exactMode === true) await handle.chmod(options.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (problem) {
    await unlink(temporary).catch(() => undefined);
    throw problem;
  } finally {
    forget();
  }
  await syncFolder(dirname(path));
}

/** `writeFileAtomically` for code that cannot wait (a run's record, written as a signal ends the run). */
export function writeFileAtomicallySync(path: string, contents: string | Uint8Array, options: AtomicWriteOptions): void {
  const temporary = temporaryPathFor(path);
  const descriptor = openSync(temporary, createFlags, options.exactMode === true ? 0o600 : options.mode);
  try {
    try {
      writeFileSync(descriptor, contents);
      if (options.exactMode === true) fchmodSync(descriptor, options.mode);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, path);
  } catch (problem) {
    try {
      unlinkSync(temporary);
    } catch {
      // Already gone.
    }
    throw problem;
  }
  syncFolderSync(dirname(path));
}

/** The rename reaches the disk too (where the platform allows opening a folder). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform or file system can flush a folder; the file itself is flushed.
  }
}

function syncFolderSync(folder: string): void {
  try {
    const descriptor = openSync(folder, constants.O_RDONLY);
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    // As above.
  }
}
