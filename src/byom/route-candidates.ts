import type { TargetRole } from "../llm/router/route-target.js";
import { type AgentConfig, primaryModel, type ProviderConfig } from "./config-schema.js";
import { type EffectiveRouting, effectiveRouting, providerRefusal, type ProviderRefusal } from "./project-routing.js";

/** One model a call may be sent to, and why; `unavailable` says why it cannot be used. */
export interface RouteCandidate {
  provider: ProviderConfig;
  model: string;
  role: TargetRole;
  unavailable?: ProviderRefusal;
}

/**
 * The models a call may be sent to, in order (BYOM.md, "Calling, failing over, limiting"): the
 * call's own model; its configuration's fallback model; then the primary model of each provider
 * of the fallback chain (the project's, then the agent's: `routing`). A model already in the list
 * is not repeated; a provider that cannot serve the run (disabled, refused by a policy) stays in
 * the list, marked unavailable, so that skipping it is said. `own` is undefined when the call's
 * model comes from the environment (only the chain follows).
 */
export function routeCandidates(
  config: AgentConfig,
  own: { provider: ProviderConfig; model: string; refusal?: ProviderRefusal } | undefined,
  routing: EffectiveRouting = effectiveRouting(config, undefined),
): RouteCandidate[] {
  const candidates: RouteCandidate[] = [];
  const seen = new Set<string>();
  const add = (candidate: RouteCandidate) => {
    const key = `${candidate.provider.id}\u0000${candidate.model}`;
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push(candidate);
  };
  if (own !== undefined) {
    add({ provider: own.provider, model: own.model, role: "primary", ...(own.refusal === undefined ? {} : { unavailable: own.refusal }) });
    const fallback = own.provider.models.find((entry) => entry.role === "fallback");
    if (fallback !== undefined) add({ provider: own.provider, model: fallback.id, role: "fallback-model", ...(own.refusal === undefined ? {} : { unavailable: own.refusal }) });
  }
  for (const id of routing.fallbackChain) {
    const provider = config.providers.find((candidate) => candidate.id === id);
    if (provider === undefined) continue;
    const refusal = providerRefusal(config, provider, routing);
    add({ provider, model: primaryModel(provider), role: "fallback-chain", ...(refusal === undefined ? {} : { unavailable: refusal }) });
  }
  return candidates;
}
