import type { Command } from "commander";
import { removeProvider } from "../../byom/remove-provider.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretLikeValues } from "./secret-arguments.js";

/**
 * `prose byom remove <id>`: every stored version of its secret goes first, then the
 * configuration; when the store refuses, the provider stays and the command can be run again.
 */
export function registerRemoveCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(byom.command("remove").description("Remove a provider and its secrets.").argument("<id>", "the provider id")).action(async (id: string, options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      refuseSecretLikeValues(options, [id]);
      const { newDefault, deletedVersions } = await removeProvider(
        { workspace: session.workspace, agent: session.agent, store: () => session.secretStore(), change: (command, work) => session.change(command, work), finishedEarlier: (providerId) => session.finishedRemovals.includes(providerId) },
        id,
      );
      const deleted = deletedVersions.length;
      session.print({ agent: session.agent, removed: id, deletedSecretVersions: deleted, defaultProvider: newDefault }, [
        `Removed ${id} from the agent "${session.agent}"${deleted > 0 ? ` and deleted its secret` : ""}.${newDefault === null ? "" : ` The default provider is ${newDefault}.`}`,
      ]);
      return 0;
    });
  });
}
