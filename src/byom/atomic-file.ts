import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { onForcedExit } from "./process-leftovers.js";

/**
 * Writes a file so that a reader sees either the old contents or the new, never a mix:
 * the text goes to a temporary file beside it (`.<name>.<pid>.<random>.tmp`, created
 * exclusively), is flushed to disk, then renamed over it. Callers that change the workspace
 * hold its lock (`workspace-lock.ts`); a temporary file left by a killed process is removed
 * by the next command (`workspace-tidy.ts`).
 */
export async function writeFileAtomically(path: string, text: string, mode = 0o644): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const forget = onForcedExit(() => rmSync(temporary, { force: true }));
  try {
    const handle = await open(temporary, "wx", mode);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (problem) {
    await rm(temporary, { force: true });
    throw problem;
  } finally {
    forget();
  }
}
