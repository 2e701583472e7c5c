import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { updateAgentConfig } from "../../byom/config-files.js";
import { checkedProjectName, clearProjectSetting, setProjectDefault } from "../../byom/routing-choices.js";
import { unknownProviderMessage } from "../../byom/select-provider.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretLikeValues } from "./secret-arguments.js";

type DefaultOptions = CommonOptions & { project?: string; clear?: boolean };

/**
 * `prose byom default <id> [--project P]`: the provider a call uses when it names none (the
 * project's, for runs with `--project P`); `prose byom default --project P --clear` gives the
 * project the agent's default again.
 */
export function registerDefaultCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(
    byom
      .command("default")
      .description("Make a provider the agent's default (or a project's).")
      .argument("[id]", "the provider id")
      .option("--project <name>", "set the default of runs with --project NAME instead of the agent's")
      .option("--clear", "with --project: remove the project's default (the agent's applies again)"),
  ).action(async (id: string | undefined, options: DefaultOptions) => {
    await runByomCommand(context, options, async (session) => {
      refuseSecretLikeValues(options, [id]);
      const project = options.project === undefined ? undefined : checkedProjectName(options.project);
      if (options.clear === true) {
        if (project === undefined) throw new ByomError("--clear applies to a project's default.", `Give the project: \`prose byom default --project NAME --clear${session.agentOption}\`; the agent always has a default while it has an enabled provider.`);
        if (id !== undefined) throw new ByomError("--clear takes no provider id.", `Run \`prose byom default --project ${project} --clear${session.agentOption}\`.`);
        const cleared = await session.change("byom default", () => updateAgentConfig(session.workspace, session.agent, (config) => ({ had: clearProjectSetting(config, project, "defaultProvider"), agentDefault: config.defaultProvider })));
        const line = cleared.had ? `The project "${project}" now uses the agent's default provider${cleared.agentDefault === null ? "" : ` (${cleared.agentDefault})`}.` : `The project "${project}" had no default provider of its own: it uses the agent's.`;
        session.print({ agent: session.agent, project, defaultProvider: null, cleared: cleared.had, agentDefault: cleared.agentDefault }, [line]);
        return 0;
      }
      if (id === undefined) throw new ByomError("`prose byom default` needs the provider id.", "Run `prose byom list` to see the ids.");
      if (project !== undefined) {
        const previous = await session.change("byom default", () => updateAgentConfig(session.workspace, session.agent, (config) => setProjectDefault(config, project, id)));
        session.print({ agent: session.agent, project, defaultProvider: id, previousDefault: previous ?? null }, [`The default provider of the project "${project}" (agent "${session.agent}") is now ${id}.`]);
        return 0;
      }
      const previous = await session.change("byom default", () =>
        updateAgentConfig(session.workspace, session.agent, (config) => {
          const provider = config.providers.find((candidate) => candidate.id === id);
          if (provider === undefined) throw new ByomError(unknownProviderMessage(id, config));
          if (!provider.enabled) throw new ByomError(`The provider "${id}" is disabled and cannot be the default.`);
          const before = config.defaultProvider;
          config.defaultProvider = id;
          return before;
        }),
      );
      session.print({ agent: session.agent, defaultProvider: id, previousDefault: previous }, [`The default provider of the agent "${session.agent}" is now ${id}.`]);
      return 0;
    });
  });
}
