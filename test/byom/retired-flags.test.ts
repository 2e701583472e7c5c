import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readAgentConfig, updateAgentConfig } from "../../src/byom/config-files.js";

/** A provider as the versions before issue 12 wrote it: with the inert `flags` field. */
function olderProvider(id: string, flags: unknown): Record<string, unknown> {
  return {
    id,
    type: "openai",
    name: "OpenAI gpt-4.1-mini",
    settings: {},
    credentialVersion: 1,
    models: [{ id: "gpt-4.1-mini", role: "primary", verified: false }],
    limits: {},
    flags,
    enabled: true,
    createdAt: "2026-11-01T10:00:00.000Z",
    updatedAt: "2026-11-01T10:00:00.000Z",
  };
}

describe("agent files written with the retired no-training and reasoning flags", () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), "prose-retired-flags-"));
    await mkdir(join(workspace, "agents"), { recursive: true });
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  async function writeAgent(providers: unknown[]): Promise<void> {
    const config = { version: 1, agent: "default", defaultProvider: "openai-old-1764100945699-r6jisd", fallbackChain: [], providers };
    await writeFile(join(workspace, "agents", "default.json"), JSON.stringify(config, null, 2));
  }

  it("still read, without the flags, and lose them at the next write", async () => {
    await writeAgent([olderProvider("openai-old-1764100945699-r6jisd", { noTraining: true, reasoning: "off" })]);
    const config = await readAgentConfig(workspace, "default");
    expect(config.providers.map((provider) => provider.id)).toEqual(["openai-old-1764100945699-r6jisd"]);
    expect(config.providers[0]).not.toHaveProperty("flags");

    await updateAgentConfig(workspace, "default", (agent) => {
      agent.fallbackChain = [];
    });
    const written = JSON.parse(await readFile(join(workspace, "agents", "default.json"), "utf8")) as { providers: object[] };
    expect(written.providers[0]).not.toHaveProperty("flags");
    expect(written.providers[0]).toMatchObject({ id: "openai-old-1764100945699-r6jisd", type: "openai", settings: {} });
  });

  it("read whatever the flags held, since nothing uses them", async () => {
    await writeAgent([olderProvider("openai-old-1764100945699-r6jisd", { noTraining: false, reasoning: "high" })]);
    expect((await readAgentConfig(workspace, "default")).providers).toHaveLength(1);
  });

  it("still refuse any other field they do not know", async () => {
    await writeAgent([{ ...olderProvider("openai-old-1764100945699-r6jisd", { noTraining: true, reasoning: "off" }), flagz: 1 }]);
    await expect(readAgentConfig(workspace, "default")).rejects.toThrow(/flagz/);
  });
});
