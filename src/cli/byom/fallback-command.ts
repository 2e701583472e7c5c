import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { updateAgentConfig } from "../../byom/config-files.js";
import { checkedProjectName, checkKnownProviders, clearProjectSetting, setProjectChain } from "../../byom/routing-choices.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretLikeValues } from "./secret-arguments.js";

type FallbackOptions = CommonOptions & { project?: string; clear?: boolean };

/**
 * `prose byom fallback <id> <id>... [--project P]`: the providers tried, in order, after a call's
 * own provider fails (a project's come before the agent's); `--project P --clear` removes the project's.
 */
export function registerFallbackCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(
    byom
      .command("fallback")
      .description("Set the agent's fallback chain of providers (or a project's), in order.")
      .argument("[ids...]", "provider ids, first tried first")
      .option("--project <name>", "set the chain of runs with --project NAME (tried before the agent's)")
      .option("--clear", "remove the chain (with --project: the project's; else the agent's)"),
  ).action(async (ids: string[], options: FallbackOptions) => {
    await runByomCommand(context, options, async (session) => {
      refuseSecretLikeValues(options, [ids]);
      const project = options.project === undefined ? undefined : checkedProjectName(options.project);
      const whose = project === undefined ? `the agent "${session.agent}"` : `the project "${project}" (agent "${session.agent}")`;
      if (options.clear === true) {
        if (ids.length > 0) throw new ByomError("--clear takes no provider id.", `Run \`prose byom fallback --clear${project === undefined ? "" : ` --project ${project}`}${session.agentOption}\`.`);
        const had = await session.change("byom fallback", () =>
          updateAgentConfig(session.workspace, session.agent, (config) => {
            if (project !== undefined) return clearProjectSetting(config, project, "fallbackChain");
            const before = config.fallbackChain.length > 0;
            config.fallbackChain = [];
            return before;
          }),
        );
        const line = project === undefined ? `The agent "${session.agent}" now has no fallback chain.` : `The project "${project}" now uses the agent's fallback chain only.`;
        session.print({ agent: session.agent, project: project ?? null, fallbackChain: [], cleared: had }, [line]);
        return 0;
      }
      if (ids.length === 0) throw new ByomError("`prose byom fallback` needs the provider ids, in order.", "For example `prose byom fallback ID1 ID2`, or --clear to remove the chain.");
      const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
      if (duplicate !== undefined) throw new ByomError(`"${duplicate}" is named twice in the fallback chain.`, "Name each provider once.");
      await session.change("byom fallback", () =>
        updateAgentConfig(session.workspace, session.agent, (config) => {
          if (project !== undefined) return setProjectChain(config, project, ids);
          checkKnownProviders(config, ids);
          config.fallbackChain = [...ids];
        }),
      );
      session.print({ agent: session.agent, ...(project === undefined ? {} : { project }), fallbackChain: ids }, [`The fallback chain of ${whose} is now: ${ids.join(" → ")}.`]);
      return 0;
    });
  });
}
