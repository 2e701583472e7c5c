import { closeSync, constants, lstatSync, openSync, readFileSync, statSync } from "node:fs";
import { lstat, open } from "node:fs/promises";
import { join } from "node:path";
import type { SourceLoader } from "../check/check-script.js";
import { writeFileAtomically } from "../platform/atomic-file.js";
import { FileRefused } from "../platform/file-refused.js";
import type { FilesPolicy } from "./files-policy.js";
import { sourceLoaderOf, type ScriptRead } from "../session/script-source.js";

/**
 * Reads a file the policy allows, from its real path, never through a link put there since
 * (O_NOFOLLOW). Only regular files and folders (EISDIR) are opened: a pipe or a device would block.
 */
export async function readConfined(policy: FilesPolicy, path: string): Promise<Uint8Array> {
  const real = policy.readable(path);
  refuseSpecialFile(real);
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/**
 * A script, or a file it learns, read through the policy: the one way a Prose source is read.
 * `reach` "files root" keeps it inside the files root and the allowed folders (learned files,
 * `:load`, the scripts a test runs); "anywhere" takes a script the person named on the command
 * line wherever it lies, but never in the places no script reaches.
 */
export function readSourceConfined(policy: FilesPolicy, path: string, reach: "files root" | "anywhere" = "files root"): ScriptRead {
  let real: string;
  try {
    real = reach === "anywhere" ? policy.script(path) : policy.readable(path);
  } catch (problem) {
    if (problem instanceof FileRefused) return { kind: "refused", reason: problem.reason, fix: problem.fix };
    throw problem;
  }
  try {
    const stats = statSync(real);
    if (stats.isDirectory()) return { kind: "folder" };
    if (!stats.isFile()) return { kind: "unreadable", code: "not a regular file" };
    const descriptor = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return { kind: "text", text: readFileSync(descriptor, "utf8") };
    } finally {
      closeSync(descriptor);
    }
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    return { kind: "unreadable", code: code ?? (problem as Error).message };
  }
}

/** `learn`ed files (and scripts a session loads) read through the policy; a refusal is told, not thrown. */
export function confinedSourceLoader(policy: FilesPolicy): SourceLoader {
  return sourceLoaderOf((path) => readSourceConfined(policy, path));
}

/**
 * Replaces a file's contents atomically (`writeFileAtomically`: a new temporary file beside it,
 * created exclusively under an unpredictable name, mode 0600 while written, flushed, renamed
 * over the target), giving it the target's mode exactly (0644 for a new file). A link found at
 * the temporary name makes the create fail; a link at the target is replaced, never written through.
 */
export async function writeConfined(policy: FilesPolicy, path: string, contents: string): Promise<void> {
  const { folder, name } = policy.writable(path);
  const target = join(folder, name);
  await writeFileAtomically(target, contents, { mode: await modeOf(target), exactMode: true });
}

/** The target's permission bits when it is a regular file; 0644 for a new file (or a link, never followed). */
async function modeOf(target: string): Promise<number> {
  try {
    const stats = await lstat(target);
    if (stats.isDirectory()) throw Object.assign(new Error(`${target} is a folder`), { code: "EISDIR" });
    return stats.isFile() ? stats.mode & 0o777 : 0o644;
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return 0o644;
    throw problem;
  }
}

/** A link still there after the real path was worked out leads nowhere that can be followed (dangling, or a /proc link): no file. */
function refuseSpecialFile(real: string): void {
  let stats;
  try {
    stats = lstatSync(real);
  } catch {
    return;
  }
  if (stats.isSymbolicLink()) throw Object.assign(new Error(`${real} leads nowhere`), { code: "ENOENT" });
  if (!stats.isFile() && !stats.isDirectory()) throw Object.assign(new Error(`${real} is not a regular file`), { code: "EACCES" });
}
