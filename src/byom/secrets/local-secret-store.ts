import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomically } from "../../platform/atomic-file.js";
import { withWorkspaceLock } from "../workspace-lock.js";
import { deriveFileKeys, equalText, type FileKeys, fileMac, keyCheckOf, openEntry, sealEntry } from "./entry-cipher.js";
import type { Environment } from "./environment.js";
import { describeFileError } from "./file-errors.js";
import { type MasterKey, MasterKeyLocator } from "./master-key.js";
import { parseSecretFile, type SecretFile, secretFileFormat, secretFileVersion, serializeSecretFile } from "./secret-file-format.js";
import { checkName, checkReference, compareReferences, describeReference, sameReference } from "./secret-reference.js";
import { type SecretReference, type SecretStore, SecretStoreError } from "./secret-store.js";

export const defaultSecretFileName = "secrets.enc.json";

export interface LocalSecretStoreOptions {
  /** The workspace folder that holds the encrypted file. */
  workspace: string;
  /** Reads `PROSE_MASTER_KEY`, `PROSE_KEY_FILE` and `HOME`. */
  environment: Environment;
  /** The key file when `PROSE_MASTER_KEY` is not set (overrides `PROSE_KEY_FILE`). */
  keyFile?: string;
  /** Defaults to `secrets.enc.json`. */
  fileName?: string;
  /** For `createdAt`; defaults to the system clock. */
  now?: () => Date;
}

/** A file as read and verified: its content and the keys that opened it. */
interface OpenedFile {
  file: Omit<SecretFile, "mac">;
  keys: FileKeys;
}

/**
 * The default store: one file in the workspace, each value encrypted with AES-256-GCM under a
 * fresh nonce, its reference bound as additional data, the whole file authenticated by an HMAC.
 * A file that cannot be verified with the key is never rewritten. Writes are atomic, and each
 * read-modify-write holds the workspace's lock (`../workspace-lock.ts`), so two processes never
 * lose each other's entry; reads take no lock.
 */
export class LocalSecretStore implements SecretStore {
  readonly kind = "local";
  /** The encrypted file. */
  readonly file: string;
  /** The workspace folder, whose lock every change holds. */
  private readonly workspace: string;
  private readonly masterKey: MasterKeyLocator;
  private readonly now: () => Date;

  constructor(options: LocalSecretStoreOptions) {
    this.workspace = path.resolve(options.workspace);
    this.file = path.resolve(options.workspace, options.fileName ?? defaultSecretFileName);
    this.masterKey = new MasterKeyLocator({
      environment: options.environment,
      workspace: options.workspace,
      ...(options.keyFile === undefined ? {} : { keyFile: options.keyFile }),
    });
    this.now = options.now ?? (() => new Date());
  }

  /** The key file used when `PROSE_MASTER_KEY` is not set. */
  get keyFile(): string {
    return this.masterKey.keyFile;
  }

  async put(reference: SecretReference, value: string): Promise<void> {
    checkReference(reference);
    if (typeof value !== "string") throw new SecretStoreError("invalid", `The secret for ${describeReference(reference)} must be text.`);
    return withWorkspaceLock(this.workspace, "byom (secret store)", async () => {
      const opened = await this.open(true);
      if (opened.file.entries.some((entry) => sameReference(entry, reference))) {
        throw new SecretStoreError(
          "invalid",
          `A secret for ${describeReference(reference)} is already stored in ${this.file}; a new value needs a new version (rotate the provider).`,
        );
      }
      const entries = [...opened.file.entries, sealEntry(opened.keys, reference, value, this.now())];
      await this.write(opened.keys, entries);
    });
  }

  async get(reference: SecretReference): Promise<string> {
    checkReference(reference);
    const opened = await this.open(false);
    const entry = opened?.file.entries.find((candidate) => sameReference(candidate, reference));
    if (opened === undefined || entry === undefined) {
      throw new SecretStoreError("not-found", `No secret is stored for ${describeReference(reference)} in ${this.file}.`);
    }
    const value = openEntry(opened.keys, entry);
    if (value === undefined) throw this.tampered(`the entry for ${describeReference(reference)} does not decrypt`);
    return value;
  }

  async delete(reference: SecretReference): Promise<void> {
    checkReference(reference);
    // Nothing to delete, and nothing (not even the workspace folder for the lock) is created.
    if ((await this.readText()) === undefined) return;
    return withWorkspaceLock(this.workspace, "byom (secret store)", async () => {
      const opened = await this.open(false);
      if (opened === undefined) return;
      const entries = opened.file.entries.filter((entry) => !sameReference(entry, reference));
      if (entries.length === opened.file.entries.length) return;
      await this.write(opened.keys, entries);
    });
  }

  /**
   * Deletes, in one write, every entry `keep` refuses (the clean-up of orphan entries); returns
   * their references. A missing file is an empty one; a file that does not verify is left alone
   * (the error is thrown).
   */
  async retainOnly(keep: (reference: SecretReference) => boolean): Promise<SecretReference[]> {
    return withWorkspaceLock(this.workspace, "byom (secret store)", async () => {
      const opened = await this.open(false);
      if (opened === undefined) return [];
      const references = (entry: SecretFile["entries"][number]) => ({ agent: entry.agent, providerId: entry.providerId, version: entry.version });
      const dropped = opened.file.entries.filter((entry) => !keep(references(entry)));
      if (dropped.length === 0) return [];
      await this.write(
        opened.keys,
        opened.file.entries.filter((entry) => keep(references(entry))),
      );
      return dropped.map(references);
    });
  }

  async list(agent: string, providerId?: string): Promise<SecretReference[]> {
    checkName("agent name", agent);
    if (providerId !== undefined) checkName("provider id", providerId);
    const opened = await this.open(false);
    if (opened === undefined) return [];
    return opened.file.entries
      .filter((entry) => entry.agent === agent && (providerId === undefined || entry.providerId === providerId))
      .map((entry) => ({ agent: entry.agent, providerId: entry.providerId, version: entry.version }))
      .sort(compareReferences);
  }

  /**
   * Reads and verifies the file. With `forWriting`, a missing file is an empty one (creating the
   * key file if there is no key yet); otherwise a missing file gives undefined.
   */
  private async open(forWriting: true): Promise<OpenedFile>;
  private async open(forWriting: false): Promise<OpenedFile | undefined>;
  private async open(forWriting: boolean): Promise<OpenedFile | undefined> {
    const text = await this.readText();
    if (text === undefined) {
      if (!forWriting) return undefined;
      const keys = deriveFileKeys((await this.masterKey.existingOrCreated()).key);
      return { keys, file: emptyFile(keys) };
    }
    const file = parseSecretFile(text, this.file);
    const masterKey = await this.masterKey.existing();
    if (masterKey === undefined) {
      throw new SecretStoreError(
        "wrong-key",
        `The secrets file ${this.file} cannot be opened: its master key is missing (PROSE_MASTER_KEY is not set and there is no key file at ${this.masterKey.keyFile}). Set PROSE_MASTER_KEY or restore the key file; the secrets file was left unchanged.`,
      );
    }
    const keys = deriveFileKeys(masterKey.key);
    if (!equalText(file.keyCheck, keyCheckOf(keys))) throw this.wrongKey(masterKey);
    if (!equalText(file.mac, fileMac(keys, file))) throw this.tampered("its integrity check fails");
    return { file, keys };
  }

  private async readText(): Promise<string | undefined> {
    try {
      return await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw describeFileError(error, `read the secrets file ${this.file}`);
    }
  }

  private async write(keys: FileKeys, entries: SecretFile["entries"]): Promise<void> {
    const unsigned = { ...emptyFile(keys), entries };
    const file: SecretFile = { ...unsigned, mac: fileMac(keys, unsigned) };
    try {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFileAtomically(this.file, serializeSecretFile(file), { mode: 0o600 });
    } catch (error) {
      throw describeFileError(error, `write the secrets file ${this.file}`);
    }
  }

  private wrongKey(masterKey: MasterKey): SecretStoreError {
    return new SecretStoreError(
      "wrong-key",
      `The secrets file ${this.file} was encrypted with a different master key than the one from ${masterKey.source}. Use the key it was written with (PROSE_MASTER_KEY or PROSE_KEY_FILE); the secrets file was left unchanged.`,
    );
  }

  private tampered(what: string): SecretStoreError {
    return new SecretStoreError(
      "tampered",
      `The secrets file ${this.file} is damaged or was edited: ${what}. It was left unchanged: restore it from a backup, or move it away to start with an empty store.`,
    );
  }
}

function emptyFile(keys: FileKeys): Omit<SecretFile, "mac"> {
  return { format: secretFileFormat, version: secretFileVersion, cipher: "AES-256-GCM", keyCheck: keyCheckOf(keys), entries: [] };
}
