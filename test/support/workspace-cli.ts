/**
 * Helpers for the workspace tests: the real CLI (`node bin/prose.js`, built in dist/) as child
 * processes on a temporary workspace with the local encrypted store, and a check that the
 * workspace is whole afterwards (every provider's active secret present, no orphan entries,
 * no temporary or lock files left).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LocalSecretStore } from "../../src/byom/secrets/local-secret-store.js";
import { buildIfStale } from "./built-cli.js";
import { openAiCompletion } from "./openai-server.js";
import { startScriptedServer } from "./scripted-server.js";

/** The CLI under test; PROSE_TEST_BIN runs the tests against another build (an older one, to see them fail). */
export const proseBin = process.env.PROSE_TEST_BIN ?? resolve(import.meta.dirname, "../../bin/prose.js");
export const masterKey = Buffer.alloc(32, 7).toString("base64");

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  stdin?: string;
  env?: Record<string, string>;
}

export class TestWorkspace {
  private constructor(readonly folder: string) {}

  static async create(): Promise<TestWorkspace> {
    if (process.env.PROSE_TEST_BIN === undefined) buildIfStale();
    return new TestWorkspace(await mkdtemp(join(tmpdir(), "prose-workspace-")));
  }

  get workspace(): string {
    return join(this.folder, ".prose");
  }

  environment(extra: Record<string, string> = {}): Record<string, string> {
    const { PROSE_HOME: _home, PROSE_MASTER_KEY: _key, ...rest } = process.env as Record<string, string>;
    return { ...rest, HOME: this.folder, PROSE_MASTER_KEY: masterKey, ...extra };
  }

  /** Starts `prose <argv> --workspace W`; the secret (if any) goes to standard input. */
  spawn(argv: string[], options: CliOptions = {}): ChildProcess {
    const child = spawn(process.execPath, [proseBin, ...argv, "--workspace", this.workspace], {
      cwd: this.folder,
      env: this.environment(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.stdin ?? "");
    return child;
  }

  run(argv: string[], options: CliOptions = {}): Promise<CliOutcome> {
    return outcomeOf(this.spawn(argv, options));
  }

  /** `prose byom add custom` with a key on standard input; returns the outcome. */
  add(name: string, baseUrl: string, key: string, extra: string[] = []): Promise<CliOutcome> {
    return this.run(["byom", "add", "custom", "--name", name, "--base-url", baseUrl, "--model", "m", "--api-key-stdin", ...extra], { stdin: key });
  }

  async agent(agent = "default"): Promise<AgentFile> {
    return JSON.parse(await readFile(join(this.workspace, "agents", `${agent}.json`), "utf8")) as AgentFile;
  }

  /** The local store's entries (their references are in clear in the file). */
  async entries(): Promise<Array<{ agent: string; providerId: string; version: number }>> {
    let text: string;
    try {
      text = await readFile(join(this.workspace, "secrets.enc.json"), "utf8");
    } catch {
      return [];
    }
    const file = JSON.parse(text) as { entries: Array<{ agent: string; providerId: string; version: number }> };
    return file.entries.map(({ agent, providerId, version }) => ({ agent, providerId, version }));
  }

  store(): LocalSecretStore {
    return new LocalSecretStore({ workspace: this.workspace, environment: { PROSE_MASTER_KEY: masterKey, HOME: this.folder } });
  }

  /** Every file whose name ends in .tmp or .lock, anywhere in the workspace. */
  async leftovers(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (/\.(tmp|lock)$/.test(entry.name)) found.push(path);
      }
    };
    await walk(this.workspace);
    return found;
  }

  /**
   * What is wrong with the workspace: a provider whose active version cannot be read back, an
   * entry no provider's active version references, the default provider without a credential.
   */
  async problems(agent = "default"): Promise<string[]> {
    const problems: string[] = [];
    const config = await this.agent(agent).catch(() => undefined);
    const providers = config?.providers ?? [];
    const store = this.store();
    for (const provider of providers) {
      if (provider.credentialVersion === null) {
        problems.push(`${provider.id} has no credential`);
        continue;
      }
      const value = await store.get({ agent, providerId: provider.id, version: provider.credentialVersion }).catch((error: Error) => `missing: ${error.message}`);
      if (!value.startsWith("sk-")) problems.push(`${provider.id} version ${provider.credentialVersion}: ${value}`);
    }
    if (config !== undefined && config.defaultProvider !== null && !providers.some((provider) => provider.id === config.defaultProvider)) {
      problems.push(`the default provider ${config.defaultProvider} is not configured`);
    }
    for (const entry of await this.entries()) {
      const owner = providers.find((provider) => provider.id === entry.providerId);
      if (entry.agent !== agent || owner === undefined || owner.credentialVersion !== entry.version) problems.push(`orphan entry ${entry.providerId} version ${entry.version}`);
    }
    return problems;
  }

  async dispose(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}

export interface AgentFile {
  defaultProvider: string | null;
  providers: Array<{ id: string; name: string; credentialVersion: number | null }>;
}

export function outcomeOf(child: ChildProcess): Promise<CliOutcome> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A new temporary workspace and an OpenAI-compatible server on loopback that answers "ok" (for `byom add`'s test call). */
export async function workspaceWithModelServer(): Promise<{ space: TestWorkspace; baseUrl: string; close(): Promise<void> }> {
  const space = await TestWorkspace.create();
  const server = await startScriptedServer();
  server.route("/v1/chat/completions", () => openAiCompletion("ok"));
  return {
    space,
    baseUrl: `${server.url}/v1`,
    close: async () => {
      await server.close();
      await space.dispose();
    },
  };
}
