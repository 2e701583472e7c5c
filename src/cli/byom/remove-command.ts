import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { updateAgentConfig } from "../../byom/config-files.js";
import { unknownProviderMessage } from "../../byom/select-provider.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";

/** `prose byom remove <id>`: the configuration goes, then every stored version of its secret. */
export function registerRemoveCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(byom.command("remove").description("Remove a provider and its secrets.").argument("<id>", "the provider id")).action(async (id: string, options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      const { newDefault, hadSecret } = await updateAgentConfig(session.workspace, session.agent, (config) => {
        const provider = config.providers.find((candidate) => candidate.id === id);
        if (provider === undefined) throw new ByomError(unknownProviderMessage(id, config));
        config.providers = config.providers.filter((candidate) => candidate.id !== id);
        config.fallbackChain = config.fallbackChain.filter((candidate) => candidate !== id);
        if (config.defaultProvider === id) config.defaultProvider = config.providers.find((candidate) => candidate.enabled)?.id ?? null;
        return { newDefault: config.defaultProvider, hadSecret: provider.credentialVersion !== null };
      });
      let deleted = 0;
      if (hadSecret) {
        const store = await session.secretStore();
        for (const reference of await store.list(session.agent, id)) {
          await store.delete(reference);
          deleted += 1;
        }
      }
      session.print({ agent: session.agent, removed: id, deletedSecretVersions: deleted, defaultProvider: newDefault }, [
        `Removed ${id} from the agent "${session.agent}"${deleted > 0 ? ` and deleted its secret` : ""}.${newDefault === null ? "" : ` The default provider is ${newDefault}.`}`,
      ]);
      return 0;
    });
  });
}
