import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { updateAgentConfig } from "../../byom/config-files.js";
import { unknownProviderMessage } from "../../byom/select-provider.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";

/** `prose byom fallback <id> <id>...`: the providers tried, in order, after a call's own provider fails. */
export function registerFallbackCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(byom.command("fallback").description("Set the agent's fallback chain of providers, in order.").argument("<ids...>", "provider ids, first tried first")).action(
    async (ids: string[], options: CommonOptions) => {
      await runByomCommand(context, options, async (session) => {
        const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
        if (duplicate !== undefined) throw new ByomError(`"${duplicate}" is named twice in the fallback chain.`, "Name each provider once.");
        await session.change("byom fallback", () =>
          updateAgentConfig(session.workspace, session.agent, (config) => {
            for (const id of ids) if (!config.providers.some((provider) => provider.id === id)) throw new ByomError(unknownProviderMessage(id, config));
            config.fallbackChain = [...ids];
          }),
        );
        session.print({ agent: session.agent, fallbackChain: ids }, [`The fallback chain of the agent "${session.agent}" is now: ${ids.join(" → ")}.`]);
        return 0;
      });
    },
  );
}
