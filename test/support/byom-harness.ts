import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SecretStoreSettings } from "../../src/byom/secret-store-access.js";
import type { CliServices } from "../../src/cli/cli-services.js";
import type { UsageRecord } from "../../src/llm/router/usage-record.js";
import { main } from "../../src/cli/main.js";
import { MemorySecretStore } from "./memory-secret-store.js";

export interface Outcome {
  code: number;
  out: string[];
  err: string[];
}

/**
 * A temporary folder with a workspace in `.prose/`, in-memory secret stores (one per store
 * setting), and `main` run with a chosen standard input and environment. Every line printed is kept.
 */
export class ByomHarness {
  readonly stores = new Map<string, MemorySecretStore>();
  /** Every line printed by every command, both streams. */
  readonly printed: string[] = [];
  environment: Record<string, string> = {};
  /** What the next commands read from standard input. */
  standardInput = "";
  /** Use the real secret stores of src/byom/secrets (the local one needs PROSE_MASTER_KEY in the environment). */
  realStores = false;
  /** More services for the next commands (Ctrl-C, the clock). */
  services: CliServices = {};

  private constructor(readonly folder: string) {}

  static async create(): Promise<ByomHarness> {
    return new ByomHarness(await mkdtemp(join(tmpdir(), "prose-byom-")));
  }

  get workspace(): string {
    return join(this.folder, ".prose");
  }

  /** The in-memory store of the local setting, where secrets go by default. */
  get localStore(): MemorySecretStore {
    return this.storeFor({ kind: "local", workspace: this.workspace });
  }

  storeFor(settings: SecretStoreSettings): MemorySecretStore {
    const key = JSON.stringify(settings);
    let store = this.stores.get(key);
    if (store === undefined) {
      store = new MemorySecretStore(settings.kind);
      this.stores.set(key, store);
    }
    return store;
  }

  async prose(...argv: string[]): Promise<Outcome> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      argv,
      {
        out: (line) => {
          out.push(line);
          this.printed.push(line);
        },
        err: (line) => {
          err.push(line);
          this.printed.push(line);
        },
      },
      this.environment,
      {
        readStandardInput: async () => this.standardInput,
        ...(this.realStores ? {} : { openSecretStore: (settings: SecretStoreSettings) => this.storeFor(settings) }),
        currentDirectory: this.folder,
        ...this.services,
      },
    );
    return { code, out, err };
  }

  /** `prose byom add …` that must succeed; returns the printed id. */
  async add(...argv: string[]): Promise<string> {
    const outcome = await this.prose("byom", "add", ...argv);
    if (outcome.code !== 0) throw new Error(`byom add failed (${outcome.code}): ${outcome.err.join("\n")}`);
    return outcome.out[0];
  }

  async agentFile(agent = "default"): Promise<Record<string, unknown>> {
    return JSON.parse(await readFile(join(this.workspace, "agents", `${agent}.json`), "utf8")) as Record<string, unknown>;
  }

  /** The workspace's usage records, oldest first (one per model attempt). */
  async usageRecords(): Promise<UsageRecord[]> {
    const folder = join(this.workspace, "usage");
    const records: UsageRecord[] = [];
    for (const name of (await readdir(folder)).sort()) {
      for (const line of (await readFile(join(folder, name), "utf8")).split("\n")) if (line !== "") records.push(JSON.parse(line) as UsageRecord);
    }
    return records;
  }

  /** Every file under the folder, with its contents. */
  async files(): Promise<Array<{ path: string; contents: Buffer }>> {
    const found: Array<{ path: string; contents: Buffer }> = [];
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else found.push({ path, contents: await readFile(path) });
      }
    };
    await walk(this.folder);
    return found;
  }

  async dispose(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}
