import { lstat, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { FileRefused } from "../platform/file-refused.js";
import type { FolderEntry } from "../runtime/folders-and-runs.js";
import type { FilesPolicy } from "./files-policy.js";

/**
 * Lists a folder the policy lets the script read (`get the files in the folder …`): its regular
 * files with their sizes, and its folders. An entry the script may not read is not listed: a
 * symbolic link leading out of the files root (or anywhere no script reaches, or nowhere), a
 * Prose workspace, the master-key file, a pipe, a socket or a device. A link leading to a file
 * inside the root is listed under its own name. A missing folder throws ENOENT, a file ENOTDIR.
 */
export async function listConfined(policy: FilesPolicy, path: string): Promise<FolderEntry[]> {
  const real = policy.listable(path);
  const folder = await lstat(real);
  if (!folder.isDirectory()) throw Object.assign(new Error(`${real} is not a folder`), { code: "ENOTDIR" });
  const entries: FolderEntry[] = [];
  for (const dirent of await readdir(real, { withFileTypes: true })) {
    let target: string;
    try {
      target = policy.readable(join(real, dirent.name));
    } catch (problem) {
      if (problem instanceof FileRefused) continue;
      throw problem;
    }
    let stats;
    try {
      // The real path, resolved by the policy: a link is never followed anywhere else.
      stats = dirent.isSymbolicLink() ? await stat(target) : await lstat(target);
    } catch {
      continue; // gone since it was listed, or a link leading nowhere
    }
    if (stats.isFile()) entries.push({ name: dirent.name, kind: "file", size: stats.size });
    else if (stats.isDirectory()) entries.push({ name: dirent.name, kind: "folder", size: 0 });
  }
  return entries;
}
