import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { homedir, userInfo } from "node:os";
import path from "node:path";
import { type Environment, variable } from "./environment.js";
import { describeFileError } from "./file-errors.js";
import { SecretStoreError } from "./secret-store.js";

export const masterKeyBytes = 32;

/** A master key and where it came from, for messages ("PROSE_MASTER_KEY" or "the key file …"). */
export interface MasterKey {
  key: Buffer;
  source: string;
}

export interface MasterKeyOptions {
  environment: Environment;
  /** The workspace folder; the key file must lie outside it. */
  workspace: string;
  /** The key file; otherwise `PROSE_KEY_FILE`, otherwise `~/.config/prose/master.key`. */
  keyFile?: string;
}

/**
 * Finds the local store's master key: `PROSE_MASTER_KEY` (base64 of exactly 32 bytes) when set,
 * otherwise a key file outside the workspace, created with mode 0600 on first use.
 * Configuration mistakes are reported when the locator is built; the file is read on demand.
 */
export class MasterKeyLocator {
  /** The key from `PROSE_MASTER_KEY`, when set. */
  private readonly environmentKey: Buffer | undefined;
  /** The key file used when `PROSE_MASTER_KEY` is not set. */
  readonly keyFile: string;

  constructor(options: MasterKeyOptions) {
    const fromEnvironment = variable(options.environment, "PROSE_MASTER_KEY");
    this.environmentKey = fromEnvironment === undefined ? undefined : decodeKey(fromEnvironment, "PROSE_MASTER_KEY");
    this.keyFile = keyFilePath(options);
    if (this.environmentKey === undefined) {
      const workspace = path.resolve(options.workspace);
      const relative = path.relative(workspace, this.keyFile);
      const outside = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
      if (!outside) {
        throw new SecretStoreError(
          "invalid",
          `The key file ${this.keyFile} is inside the workspace ${workspace}. Keep it outside (the default is ~/.config/prose/master.key, or set PROSE_KEY_FILE), so the encrypted secrets and their key are never copied together.`,
        );
      }
    }
  }

  /** "PROSE_MASTER_KEY" or "the key file …", for messages. */
  get source(): string {
    return this.environmentKey === undefined ? `the key file ${this.keyFile}` : "PROSE_MASTER_KEY";
  }

  /** The key when one exists; undefined when there is no `PROSE_MASTER_KEY` and no key file yet. */
  async existing(): Promise<MasterKey | undefined> {
    if (this.environmentKey !== undefined) return { key: this.environmentKey, source: "PROSE_MASTER_KEY" };
    const text = await readKeyFile(this.keyFile);
    return text === undefined ? undefined : { key: decodeKey(text, `The key file ${this.keyFile}`), source: this.source };
  }

  /** The existing key, or a new random key written to a new key file (mode 0600). */
  async existingOrCreated(): Promise<MasterKey> {
    const found = await this.existing();
    if (found !== undefined) return found;
    await createKeyFile(this.keyFile);
    const created = await this.existing();
    if (created === undefined) throw new SecretStoreError("unavailable", `The key file ${this.keyFile} could not be created.`);
    return created;
  }
}

/**
 * Every place the master key lives or would live, for confinement (scripts never reach them):
 * the file `PROSE_KEY_FILE` names, and the default `~/.config/prose/master.key`.
 */
export function masterKeyFilePaths(environment: Environment): string[] {
  const paths = [keyFilePath({ environment: { HOME: variable(environment, "HOME"), USERPROFILE: variable(environment, "USERPROFILE") } })];
  try {
    paths.push(keyFilePath({ environment }));
  } catch {
    // A relative PROSE_KEY_FILE is refused where the key is used; the default stays confined.
  }
  return [...new Set(paths)];
}

function keyFilePath(options: Pick<MasterKeyOptions, "environment" | "keyFile">): string {
  const home = variable(options.environment, "HOME") ?? variable(options.environment, "USERPROFILE") ?? safeHome();
  const given = options.keyFile ?? variable(options.environment, "PROSE_KEY_FILE");
  if (given === undefined) return path.join(home, ".config", "prose", "master.key");
  const expanded = given === "~" || given.startsWith("~/") ? path.join(home, given.slice(1)) : given;
  if (!path.isAbsolute(expanded)) {
    throw new SecretStoreError("invalid", `The key file must be given as an absolute path (PROSE_KEY_FILE is ${JSON.stringify(given)}).`);
  }
  return path.normalize(expanded);
}

/** The account's home folder from the password database, without reading the environment. */
function safeHome(): string {
  try {
    return userInfo().homedir;
  } catch {
    return homedir();
  }
}

/** Base64 (standard alphabet, padding optional) of exactly 32 bytes; anything else is refused. */
function decodeKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const advice = "Create a key with `openssl rand -base64 32`.";
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new SecretStoreError("invalid", `${origin} must be the base64 encoding of exactly ${masterKeyBytes} bytes, but it is not valid base64. ${advice}`);
  }
  const bytes = Buffer.from(trimmed, "base64");
  if (bytes.toString("base64").replace(/=+$/, "") !== trimmed.replace(/=+$/, "")) {
    throw new SecretStoreError("invalid", `${origin} must be the base64 encoding of exactly ${masterKeyBytes} bytes, but it is not valid base64. ${advice}`);
  }
  if (bytes.length !== masterKeyBytes) {
    throw new SecretStoreError(
      "invalid",
      `${origin} must be the base64 encoding of exactly ${masterKeyBytes} bytes, but it decodes to ${bytes.length} byte${bytes.length === 1 ? "" : "s"}. ${advice}`,
    );
  }
  return bytes;
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (process.platform !== "win32" && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8);
      throw new SecretStoreError("invalid", `The key file ${file} can be read by other users (mode ${mode}). Run \`chmod 600 ${file}\` and try again.`);
    }
    return await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof SecretStoreError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw describeFileError(error, `read the key file ${file}`);
  }
}

/**
 * Writes a new key to a temporary file (mode 0600) and links it into place, so the key file
 * appears complete or not at all, and a key another process created first is kept.
 */
async function createKeyFile(file: string): Promise<void> {
  const content = `${randomBytes(masterKeyBytes).toString("base64")}\n`;
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temporary, content, { mode: 0o600, flag: "wx" });
    try {
      await link(temporary, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return;
      // Some file systems have no hard links: create the file exclusively instead.
      await writeFile(file, content, { mode: 0o600, flag: "wx" }).catch((fallbackError: NodeJS.ErrnoException) => {
        if (fallbackError.code !== "EEXIST") throw fallbackError;
      });
    }
  } catch (error) {
    throw describeFileError(error, `create the key file ${file}`);
  } finally {
    await rm(temporary, { force: true });
  }
}
