import type { AgentConfig, ProviderConfig } from "../../byom/config-schema.js";
import { primaryModel } from "../../byom/config-schema.js";
import { secretHint } from "../../byom/secret-input.js";
import type { SecretStore } from "../../byom/secrets/secret-store.js";
import { providerDescriptor } from "../../llm/provider-registry.js";

/** What list and show print about a provider: everything but the secret, of which at most the last four characters. */
export interface ProviderSummary {
  id: string;
  type: ProviderConfig["type"];
  name: string;
  enabled: boolean;
  default: boolean;
  /** Its place in the agent's fallback chain, from 1; null when it is not in it. */
  fallbackPosition: number | null;
  primaryModel: string;
  models: ProviderConfig["models"];
  settings: ProviderConfig["settings"];
  /** null when the provider has no secret (a custom server without a key, Bedrock on the AWS default chain). */
  credential: { version: number; hint: string } | null;
  limits: ProviderConfig["limits"];
  createdAt: string;
  updatedAt: string;
}

export async function summarize(config: AgentConfig, provider: ProviderConfig, store: () => Promise<SecretStore>): Promise<ProviderSummary> {
  const position = config.fallbackChain.indexOf(provider.id);
  return {
    id: provider.id,
    type: provider.type,
    name: provider.name,
    enabled: provider.enabled,
    default: config.defaultProvider === provider.id,
    fallbackPosition: position === -1 ? null : position + 1,
    primaryModel: primaryModel(provider),
    models: provider.models,
    settings: provider.settings,
    credential: provider.credentialVersion === null ? null : { version: provider.credentialVersion, hint: await hintOf(provider, provider.credentialVersion, config.agent, store) },
    limits: provider.limits,
    createdAt: provider.createdAt,
    updatedAt: provider.updatedAt,
  };
}

async function hintOf(provider: ProviderConfig, version: number, agent: string, store: () => Promise<SecretStore>): Promise<string> {
  try {
    return secretHint(provider.type, await (await store()).get({ agent, providerId: provider.id, version }));
  } catch (problem) {
    return `(cannot be read: ${problem instanceof Error ? problem.message : String(problem)})`;
  }
}

export function credentialText(summary: ProviderSummary): string {
  if (summary.credential !== null) return summary.credential.hint;
  return providerDescriptor(summary.type).credential.absent;
}

/** Left-aligned columns separated by two spaces. */
export function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_cell, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]))).join("  ").trimEnd());
}
