import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { updateAgentConfig } from "../../byom/config-files.js";
import { checkedProjectName, refusedByPolicy, setNoTrainingPolicy } from "../../byom/routing-choices.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretLikeValues } from "./secret-arguments.js";

type PolicyOptions = CommonOptions & { requireNoTraining?: boolean; allowTraining?: boolean; project?: string };

/**
 * `prose byom policy [--require-no-training | --allow-training] [--project P]`: what the agent (or
 * one of its projects) requires of every provider it calls. With no option, prints the policy.
 */
export function registerPolicyCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(
    byom
      .command("policy")
      .description("Show or set what the agent (or a project) requires of its providers.")
      .option("--require-no-training", "refuse every provider not marked no-training (`prose byom edit ID --no-training`)")
      .option("--allow-training", "remove that requirement")
      .option("--project <name>", "the project whose policy to show or set (added to the agent's)"),
  ).action(async (options: PolicyOptions) => {
    await runByomCommand(context, options, async (session) => {
      refuseSecretLikeValues(options, []);
      if (options.requireNoTraining === true && options.allowTraining === true) throw new ByomError("--require-no-training and --allow-training cannot both be given.", "Give one of them (or neither, to print the policy).");
      const project = options.project === undefined ? undefined : checkedProjectName(options.project);
      const scope = project === undefined ? `the agent "${session.agent}"` : `the project "${project}" of the agent "${session.agent}"`;
      if (options.requireNoTraining !== true && options.allowTraining !== true) {
        const config = await session.agentConfig();
        const agentRequires = config.policy?.requireNoTraining === true;
        const projectRequires = project !== undefined && config.projects?.[project]?.policy?.requireNoTraining === true;
        const refused = agentRequires || projectRequires ? refusedByPolicy(config, project) : [];
        const lines = [
          `The policy of ${scope}: ${(project === undefined ? agentRequires : projectRequires) ? "every provider must be marked no-training" : "none"}.`,
          ...(project !== undefined && agentRequires ? [`The agent's policy applies too: every provider must be marked no-training.`] : []),
          ...refused.map((warning) => `  refused: ${warning}`),
        ];
        session.print({ agent: session.agent, project: project ?? null, requireNoTraining: project === undefined ? agentRequires : projectRequires, agentRequiresNoTraining: agentRequires, refused }, lines);
        return 0;
      }
      const require = options.requireNoTraining === true;
      const change = await session.change("byom policy", () => updateAgentConfig(session.workspace, session.agent, (config) => setNoTrainingPolicy(config, project, require)));
      const stillRequired = !require && project !== undefined && (await session.agentConfig()).policy?.requireNoTraining === true;
      if (stillRequired) change.warnings.push(`the policy of the agent "${session.agent}" still requires no-training providers, in every project; \`prose byom policy --allow-training${session.agentOption}\` removes it.`);
      session.warn(change.warnings);
      const state = require ? "now requires every provider to be marked no-training" : "no longer requires providers to be marked no-training";
      const line = change.changed ? `The policy of ${scope} ${state}.` : `The policy of ${scope} already ${require ? "requires" : "does not require"} providers to be marked no-training.`;
      session.print({ agent: session.agent, project: project ?? null, requireNoTraining: require, changed: change.changed, warnings: change.warnings }, [line]);
      return 0;
    });
  });
}
