import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { updateAgentConfig } from "../../byom/config-files.js";
import { unknownProviderMessage } from "../../byom/select-provider.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";

/** `prose byom default <id>`: the provider a call uses when it names none. */
export function registerDefaultCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(byom.command("default").description("Make a provider the agent's default.").argument("<id>", "the provider id")).action(async (id: string, options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      const previous = await session.change("byom default", () => updateAgentConfig(session.workspace, session.agent, (config) => {
        const provider = config.providers.find((candidate) => candidate.id === id);
        if (provider === undefined) throw new ByomError(unknownProviderMessage(id, config));
        if (!provider.enabled) throw new ByomError(`The provider "${id}" is disabled and cannot be the default.`);
        const before = config.defaultProvider;
        config.defaultProvider = id;
        return before;
      }));
      session.print({ agent: session.agent, defaultProvider: id, previousDefault: previous }, [`The default provider of the agent "${session.agent}" is now ${id}.`]);
      return 0;
    });
  });
}
