import { lstatSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { masterKeyFilePaths } from "../byom/secrets/master-key.js";
import { FileRefused } from "../platform/file-refused.js";
import { UsageError } from "./usage-error.js";

/** Folders no script reaches, whatever the flags: the kernel's and the devices'. */
const systemFolders = ["/proc", "/dev", "/sys"];

/** The name of a Prose workspace folder: never reached, wherever it lies. */
const workspaceFolderName = ".prose";

const neverFix = "fix: no flag opens it: scripts never reach the Prose workspace, the master-key file, /proc, /dev or /sys. Keep the script's files elsewhere.";

export interface FilesPolicyOptions {
  /** The files root: `--files DIR`, or the script's folder. */
  root: string;
  /** Where the root came from, for messages: "the script's folder", "--files". */
  rootOrigin: string;
  /** `--allow-read DIR`: folders the script may read too. */
  allowRead?: readonly string[];
  /** `--allow-write DIR`: folders the script may read and write too. */
  allowWrite?: readonly string[];
  /** The workspace folder (never reached). */
  workspace: string;
  /** For the master key's location (`PROSE_KEY_FILE`, `HOME`). */
  environment: Readonly<Record<string, string | undefined>>;
}

/** A file's identity, so that a hard link to the key is known for what it is. */
interface Identity {
  dev: number;
  ino: number;
}

/**
 * Where a running script may read and write: inside its files root and the folders allowed with
 * `--allow-read`/`--allow-write`, never in the workspace, the master-key file, /proc, /dev or
 * /sys. Paths are compared by their real paths, so `..` and symbolic links lead nowhere else.
 */
export class FilesPolicy {
  private readonly root: string;
  private readonly readRoots: string[];
  private readonly writeRoots: string[];
  /** Real paths (and the paths as configured) of the places never reached, with what they are. */
  private readonly forbidden: Array<{ path: string; what: string }>;
  private readonly keyFiles: string[];
  private readonly keyIdentities: Identity[];

  constructor(private readonly options: FilesPolicyOptions) {
    this.root = existingFolder(options.root, options.rootOrigin === "--files" ? "--files" : "the files root");
    const allowRead = (options.allowRead ?? []).map((folder) => existingFolder(folder, "--allow-read"));
    const allowWrite = (options.allowWrite ?? []).map((folder) => existingFolder(folder, "--allow-write"));
    this.writeRoots = [this.root, ...allowWrite];
    this.readRoots = [...this.writeRoots, ...allowRead];
    const workspace = resolve(options.workspace);
    this.keyFiles = unique(masterKeyFilePaths(options.environment).flatMap((file) => [file, realPathOf(file)]));
    this.keyIdentities = this.keyFiles.flatMap((file) => identityOf(file) ?? []);
    this.forbidden = [
      ...unique([workspace, realPathOf(workspace)]).map((path) => ({ path, what: `in the Prose workspace (${workspace})` })),
      ...systemFolders.flatMap((folder) => unique([folder, realPathOf(folder)]).map((path) => ({ path, what: `under ${folder}` }))),
    ];
  }

  /** The real path to read `path` (absolute) from; throws FileRefused when the script may not. */
  readable(path: string): string {
    const absolute = resolve(path);
    const real = realPathOf(absolute);
    this.refuseForbidden("read", absolute, real);
    if (!this.readRoots.some((root) => isInside(real, root))) {
      throw new FileRefused("read", absolute, this.outside(absolute, real, this.readRoots), `fix: keep the file under ${this.root}, or run with --allow-read ${dirname(real)} to let the script read that folder.`);
    }
    return real;
  }

  /**
   * The real path of a folder to list (`get the files in the folder …`): the same places as
   * reading, the folder itself resolved (a link to a folder outside leads nowhere).
   */
  listable(path: string): string {
    const absolute = resolve(path);
    const real = realPathOf(absolute);
    this.refuseForbidden("list", absolute, real);
    if (!this.readRoots.some((root) => isInside(real, root))) {
      throw new FileRefused("list", absolute, this.outside(absolute, real, this.readRoots), `fix: keep the folder under ${this.root}, or run with --allow-read ${real} to let the script read that folder.`);
    }
    return real;
  }

  /**
   * The real path of a script the person named on the command line: it may lie anywhere they
   * choose, but never in the places no script reaches (its lines would be shown as problems).
   */
  script(path: string): string {
    const absolute = resolve(path);
    const real = realPathOf(absolute);
    this.refuseForbidden("read", absolute, real);
    return real;
  }

  /**
   * The real folder and name to write `path` (absolute) as: its folder must resolve inside a
   * write root. The name itself is not followed (a link there is replaced, not written through).
   */
  writable(path: string): { folder: string; name: string } {
    const absolute = resolve(path);
    const name = basename(absolute);
    const folder = realPathOf(dirname(absolute));
    const real = join(folder, name);
    this.refuseForbidden("write", absolute, real);
    if (!this.writeRoots.some((root) => isInside(folder, root))) {
      throw new FileRefused("write", absolute, this.outside(absolute, real, this.writeRoots), `fix: write under ${this.root}, or run with --allow-write ${folder} to let the script write in that folder.`);
    }
    return { folder, name };
  }

  private refuseForbidden(action: "read" | "write" | "list", absolute: string, real: string): void {
    for (const path of [absolute, real]) {
      const place = this.forbidden.find((candidate) => isInside(path, candidate.path));
      if (place) throw new FileRefused(action, absolute, `it is ${place.what}, which scripts never reach`, neverFix);
      if (path.split(sep).includes(workspaceFolderName)) throw new FileRefused(action, absolute, `it is in a Prose workspace (a folder named ${workspaceFolderName}), which scripts never reach`, neverFix);
      if (this.keyFiles.some((key) => path === key || path.startsWith(`${key}.`))) throw new FileRefused(action, absolute, "it is the master-key file, which scripts never reach", neverFix);
    }
    const identity = identityOf(real);
    if (identity && this.keyIdentities.some((key) => key.dev === identity.dev && key.ino === identity.ino)) {
      throw new FileRefused(action, absolute, "it is the master-key file (by another name), which scripts never reach", neverFix);
    }
  }

  private outside(absolute: string, real: string, roots: readonly string[]): string {
    const allowed = roots.filter((root) => root !== this.root);
    const others = allowed.length === 0 ? "" : ` and the folders allowed (${allowed.join(", ")})`;
    const leads = real === absolute ? "" : ` (it leads to ${real})`;
    return `it is outside the files root ${this.root} (${this.options.rootOrigin})${others}${leads}`;
  }
}

/**
 * The real path of a file that may not exist yet: the real path of its nearest existing folder,
 * with the rest of the path after it.
 */
export function realPathOf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code;
    const parent = dirname(path);
    if ((code === "ENOENT" || code === "ENOTDIR") && parent !== path) return join(realPathOf(parent), basename(path));
    return path;
  }
}

/** True when `path` is `folder` or lies inside it (both absolute, real). */
export function isInside(path: string, folder: string): boolean {
  const between = relative(folder, path);
  return between === "" || (!between.startsWith(`..${sep}`) && between !== ".." && !isAbsolute(between));
}

function existingFolder(folder: string, flag: string): string {
  const absolute = resolve(folder);
  let isFolder = false;
  try {
    isFolder = statSync(absolute).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new UsageError(`${flag} ${folder}: there is no folder ${absolute}.`, "Give a folder that exists.");
  return realpathSync.native(absolute);
}

function identityOf(path: string): Identity | undefined {
  try {
    const stats = lstatSync(path);
    return stats.isFile() ? { dev: stats.dev, ino: stats.ino } : undefined;
  } catch {
    return undefined;
  }
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

/** The files flags of `run`, `check`, `repl` and `test`, as given. */
export interface FilesFlags {
  /** `--files DIR`: the files root instead of the default. */
  files?: string;
  /** `--allow-read DIR`, repeatable. */
  allowRead?: readonly string[];
  /** `--allow-write DIR`, repeatable (reading there too). */
  allowWrite?: readonly string[];
}

/**
 * The policy of one command: `--files DIR` as the root when given (relative to the current
 * folder), else `defaultRoot` (the script's folder, the folder tested, or the current folder).
 */
export function filesPolicyFor(flags: FilesFlags, defaults: { root: string; origin: string; currentDirectory: string; workspace: string; environment: FilesPolicyOptions["environment"] }): FilesPolicy {
  const inCurrent = (folder: string) => resolve(defaults.currentDirectory, folder);
  return new FilesPolicy({
    root: flags.files === undefined ? defaults.root : inCurrent(flags.files),
    rootOrigin: flags.files === undefined ? defaults.origin : "--files",
    allowRead: (flags.allowRead ?? []).map(inCurrent),
    allowWrite: (flags.allowWrite ?? []).map(inCurrent),
    workspace: defaults.workspace,
    environment: defaults.environment,
  });
}
