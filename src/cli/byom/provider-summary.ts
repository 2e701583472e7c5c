import type { AgentConfig, ProviderConfig, ReasoningLevel } from "../../byom/config-schema.js";
import { primaryModel, reasoningOf } from "../../byom/config-schema.js";
import { type EffectiveRouting, effectiveRouting, providerRefusal, type ProviderRefusal } from "../../byom/project-routing.js";
import { secretHint } from "../../byom/secret-input.js";
import type { SecretStore } from "../../byom/secrets/secret-store.js";
import { providerDescriptor } from "../../llm/provider-registry.js";

/** What list and show print about a provider: everything but the secret, of which at most the last four characters. */
export interface ProviderSummary {
  id: string;
  type: ProviderConfig["type"];
  name: string;
  enabled: boolean;
  /** Whether it is the default provider (of the project, when one is shown; else the agent's). */
  default: boolean;
  /** Its place in the fallback chain (the project's effective chain, when one is shown), from 1; null when it is not in it. */
  fallbackPosition: number | null;
  reasoning: ReasoningLevel;
  /** Marked by the user: the account neither retains nor trains on requests. */
  noTraining: boolean;
  /** Why runs (of the project shown) cannot use it: disabled, or refused by a policy; null when they can. */
  refusal: ProviderRefusal | null;
  primaryModel: string;
  models: ProviderConfig["models"];
  settings: ProviderConfig["settings"];
  /** null when the provider has no secret (a custom server without a key, Bedrock on the AWS default chain). */
  credential: { version: number; hint: string } | null;
  limits: ProviderConfig["limits"];
  createdAt: string;
  updatedAt: string;
}

export async function summarize(config: AgentConfig, provider: ProviderConfig, store: () => Promise<SecretStore>, routing: EffectiveRouting = effectiveRouting(config, undefined)): Promise<ProviderSummary> {
  const position = routing.fallbackChain.indexOf(provider.id);
  return {
    id: provider.id,
    type: provider.type,
    name: provider.name,
    enabled: provider.enabled,
    default: routing.defaultProvider === provider.id,
    fallbackPosition: position === -1 ? null : position + 1,
    reasoning: reasoningOf(provider),
    noTraining: provider.noTraining === true,
    refusal: providerRefusal(config, provider, routing) ?? null,
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

/** The marks `list` prints after a provider: its roles, then what is not as usual about it. */
export function marksOf(summary: ProviderSummary): string {
  const refusedByPolicy = summary.enabled && summary.refusal !== null;
  return [
    summary.default ? "default" : "",
    summary.fallbackPosition === null ? "" : `fallback ${summary.fallbackPosition}`,
    summary.enabled ? "" : "disabled",
    summary.noTraining ? "no-training" : "",
    summary.reasoning === "off" ? "" : `reasoning ${summary.reasoning}`,
    refusedByPolicy ? "refused by the policy" : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** The no-training policy that applies, in words. */
export function policyText(routing: EffectiveRouting, agent: string): string {
  if (routing.requireNoTraining === undefined) return "none";
  const whose = routing.requireNoTraining.by === "agent" ? `the agent "${agent}"` : `the project "${routing.project}"`;
  return `every provider must be marked no-training (the policy of ${whose})`;
}
