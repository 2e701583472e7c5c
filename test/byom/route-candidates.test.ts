import { describe, expect, it } from "vitest";
import type { AgentConfig, ProviderConfig } from "../../src/byom/config-schema.js";
import { routeCandidates } from "../../src/byom/route-candidates.js";

function provider(id: string, models: Array<[string, "primary" | "fallback" | "available"]>, enabled = true): ProviderConfig {
  return {
    id,
    type: "openai",
    name: id,
    settings: {},
    credentialVersion: 1,
    models: models.map(([model, role]) => ({ id: model, role, verified: false })),
    limits: {},
    enabled,
    createdAt: "2026-11-23T10:00:00.000Z",
    updatedAt: "2026-11-23T10:00:00.000Z",
  };
}

const main = provider("openai-main", [["gpt-4.1-mini", "primary"], ["gpt-4.1-nano", "fallback"], ["gpt-4.1", "available"]]);
const backup = provider("openai-backup", [["gpt-4o-mini", "primary"]]);
const retired = provider("openai-retired", [["gpt-4o", "primary"]], false);

function agent(fallbackChain: string[]): AgentConfig {
  return { version: 1, agent: "bot", defaultProvider: main.id, fallbackChain, providers: [main, backup, retired] };
}

const shown = (candidates: ReturnType<typeof routeCandidates>) => candidates.map((candidate) => `${candidate.role} ${candidate.provider.id} ${candidate.model}${candidate.unavailable ? ` (${candidate.unavailable.reason})` : ""}`);

describe("route candidates", () => {
  it("are the call's model, its configuration's fallback model, then the chain's primary models", () => {
    expect(shown(routeCandidates(agent([backup.id]), { provider: main, model: "gpt-4.1-mini" }))).toEqual([
      "primary openai-main gpt-4.1-mini",
      "fallback-model openai-main gpt-4.1-nano",
      "fallback-chain openai-backup gpt-4o-mini",
    ]);
  });

  it("repeat no model, keep a disabled provider of the chain marked so that skipping it is said", () => {
    expect(shown(routeCandidates(agent([main.id, retired.id, backup.id]), { provider: main, model: "gpt-4.1" }))).toEqual([
      "primary openai-main gpt-4.1",
      "fallback-model openai-main gpt-4.1-nano",
      "fallback-chain openai-main gpt-4.1-mini",
      `fallback-chain openai-retired gpt-4o (the provider "openai-retired" is disabled)`,
      "fallback-chain openai-backup gpt-4o-mini",
    ]);
  });

  it("are the chain alone after a model the environment serves", () => {
    expect(shown(routeCandidates(agent([backup.id]), undefined))).toEqual(["fallback-chain openai-backup gpt-4o-mini"]);
  });
});
