import { ByomError } from "./byom-error.js";
import type { AgentConfig } from "./config-schema.js";
import { effectiveRouting, providerRefusal, usableChain } from "./project-routing.js";
import { unknownProviderMessage } from "./select-provider.js";
import { defaultAgent } from "./workspace.js";

export interface AvailabilityChange {
  /** false when the provider already was so. */
  changed: boolean;
  /** Where calls that name no provider now go, for each default the provider was (the agent's, a project's). */
  warnings: string[];
}

/**
 * `prose byom enable|disable <id>` (in place). Disabling the agent's default provider, or a
 * project's, is allowed: routing skips it to the fallback chain (project-routing.ts), and a warning
 * says where calls that name no provider now go.
 */
export function setProviderEnabled(config: AgentConfig, id: string, enabled: boolean): AvailabilityChange {
  const provider = config.providers.find((candidate) => candidate.id === id);
  if (provider === undefined) throw new ByomError(unknownProviderMessage(id, config));
  if (provider.enabled === enabled) return { changed: false, warnings: [] };
  provider.enabled = enabled;
  if (!enabled) return { changed: true, warnings: defaultWarnings(config, id) };
  // Enabled, it may still be refused by the agent's no-training policy: say so now rather than at the next run.
  const refusal = providerRefusal(config, provider, effectiveRouting(config, undefined));
  return { changed: true, warnings: refusal === undefined ? [] : [`${refusal.reason}: runs will still refuse it. ${refusal.fix}`] };
}

/** For each routing whose default is the provider: where calls that name no provider go now. */
export function defaultWarnings(config: AgentConfig, id: string): string[] {
  const agentOption = config.agent === defaultAgent ? "" : ` --agent ${config.agent}`;
  const warnings: string[] = [];
  const scopes: Array<{ project: string | undefined; whose: string; option: string }> = [{ project: undefined, whose: `the agent "${config.agent}"`, option: "" }];
  for (const [name, settings] of Object.entries(config.projects ?? {})) {
    if (settings.defaultProvider === id) scopes.push({ project: name, whose: `the project "${name}"`, option: ` --project ${name}` });
  }
  for (const scope of scopes) {
    const routing = effectiveRouting(config, scope.project);
    if (routing.defaultProvider !== id) continue;
    const usable = usableChain(config, routing);
    const where =
      usable.length === 0
        ? `calls that name no provider now fail: its fallback chain has no usable provider. Choose another default with \`prose byom default ID${agentOption}${scope.option}\`, or enable it again with \`prose byom enable ${id}${agentOption}\`.`
        : `calls that name no provider now go to its fallback chain: ${usable.join(" → ")}.`;
    warnings.push(`"${id}" is the default provider of ${scope.whose} and is now disabled; ${where}`);
  }
  return warnings;
}
