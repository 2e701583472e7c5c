import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { onForcedExit } from "../process-leftovers.js";

/**
 * Replaces a file in one step: the content goes to a temporary file (mode 0600, created
 * exclusively) in the same folder, is flushed to disk, then renamed over the target. Readers see
 * the old or the new file, never a partial one. Writers hold the workspace lock.
 */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const forget = onForcedExit(() => rmSync(temporary, { force: true }));
  try {
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    forget();
  }
}
