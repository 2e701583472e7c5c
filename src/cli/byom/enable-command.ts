import type { Command } from "commander";
import { updateAgentConfig } from "../../byom/config-files.js";
import { setProviderEnabled } from "../../byom/provider-availability.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretLikeValues } from "./secret-arguments.js";

/**
 * `prose byom enable <id>` and `prose byom disable <id>`: routing skips a disabled provider (to
 * the fallback chain, with a warning) and `check` reports a script that names it. Disabling a
 * default provider is allowed, with a warning saying where calls that name no provider now go.
 */
export function registerEnableCommands(byom: Command, context: ByomCommandContext): void {
  for (const enabled of [true, false]) {
    const verb = enabled ? "enable" : "disable";
    const description = enabled ? "Enable a provider again." : "Disable a provider: routing skips it until it is enabled again.";
    withCommonOptions(byom.command(verb).description(description).argument("<id>", "the provider id")).action(async (id: string, options: CommonOptions) => {
      await runByomCommand(context, options, async (session) => {
        refuseSecretLikeValues(options, [id]);
        const change = await session.change(`byom ${verb}`, () =>
          updateAgentConfig(session.workspace, session.agent, (config) => {
            const result = setProviderEnabled(config, id, enabled);
            const provider = config.providers.find((candidate) => candidate.id === id);
            if (result.changed && provider !== undefined) provider.updatedAt = (context.services.now?.() ?? new Date()).toISOString();
            return result;
          }),
        );
        session.warn(change.warnings);
        const state = enabled ? "enabled" : "disabled";
        const line = change.changed ? `The provider ${id} of the agent "${session.agent}" is now ${state}.` : `The provider ${id} of the agent "${session.agent}" was already ${state}.`;
        session.print({ agent: session.agent, id, enabled, changed: change.changed, warnings: change.warnings }, [line]);
        return 0;
      });
    });
  }
}
