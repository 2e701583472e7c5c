import type { Command } from "commander";
import { readWorkspaceSettings } from "../../byom/config-files.js";
import type { AgentConfig } from "../../byom/config-schema.js";
import { effectiveRouting, type EffectiveRouting } from "../../byom/project-routing.js";
import { checkedProjectName } from "../../byom/routing-choices.js";
import { describeStore } from "../../byom/secret-store-access.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretLikeValues } from "./secret-arguments.js";
import { columns, credentialText, marksOf, policyText, type ProviderSummary, summarize } from "./provider-summary.js";

type ListOptions = CommonOptions & { project?: string };

/**
 * `prose byom list [--project P]`: the agent's providers, never a secret (at most its last four
 * characters); with a project, the effective choice of its runs: the default and where it comes
 * from, the chain's positions, and the providers they cannot use, with why.
 */
export function registerListCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(byom.command("list").description("List the agent's model providers (as runs of a project see them, with --project).").option("--project <name>", "show the default provider, fallback chain and refusals of runs with --project NAME")).action(
    async (options: ListOptions) => {
      await runByomCommand(context, options, async (session) => {
        refuseSecretLikeValues(options, []);
        const project = options.project === undefined ? undefined : checkedProjectName(options.project);
        const config = await session.agentConfig();
        const settings = await readWorkspaceSettings(session.workspace);
        const routing = effectiveRouting(config, project);
        const summaries = await Promise.all(config.providers.map((provider) => summarize(config, provider, () => session.secretStore(), routing)));
        const lines: string[] = [];
        if (summaries.length === 0) {
          lines.push(`The agent "${session.agent}" has no model providers yet: add one with \`prose byom add <type>${session.agentOption} …\`.`);
        } else {
          const rows = [["ID", "TYPE", "NAME", "MODEL", "SECRET", ""]];
          for (const summary of summaries) rows.push([summary.id, summary.type, summary.name, summary.primaryModel, credentialText(summary), marksOf(summary)]);
          lines.push(...columns(rows));
          if (project !== undefined) lines.push(...projectLines(config, routing, summaries));
          else {
            if (routing.requireNoTraining !== undefined) lines.push(`policy: ${policyText(routing, session.agent)}`);
            const projects = Object.keys(config.projects ?? {});
            if (projects.length > 0) lines.push(`projects with their own settings: ${projects.join(", ")} (\`prose byom list --project NAME${session.agentOption}\` shows one)`);
          }
        }
        const chain = routing.fallbackChain.map((id, index) => ({ position: index + 1, id, from: chainSource(config, routing, id) }));
        const refused = summaries.filter((summary) => summary.refusal !== null).map((summary) => ({ id: summary.id, ...summary.refusal! }));
        session.print(
          {
            agent: session.agent,
            workspace: session.workspace,
            store: settings.store,
            ...(project === undefined ? {} : { project }),
            defaultProvider: routing.defaultProvider,
            defaultFrom: routing.defaultFrom,
            fallbackChain: routing.fallbackChain,
            chain,
            policy: { requireNoTraining: routing.requireNoTraining !== undefined, ...(routing.requireNoTraining === undefined ? {} : { by: routing.requireNoTraining.by }) },
            refused,
            projects: config.projects ?? {},
            providers: summaries,
          },
          lines,
        );
        if (!session.json) session.writer.err(`agent "${session.agent}" in ${session.workspace}; secrets in the ${describeStore(settings.store)} store`);
        return 0;
      });
    },
  );
}

/** Where a provider of the effective chain comes from: the project's chain, the agent's default, the agent's chain. */
function chainSource(config: AgentConfig, routing: EffectiveRouting, id: string): "project" | "agent default" | "agent" {
  const own = routing.project === undefined ? undefined : config.projects?.[routing.project]?.fallbackChain;
  if (own?.includes(id) === true) return "project";
  if (id === config.defaultProvider && !config.fallbackChain.includes(id)) return "agent default";
  return "agent";
}

function projectLines(config: AgentConfig, routing: EffectiveRouting, summaries: ProviderSummary[]): string[] {
  const project = routing.project!;
  const from = routing.defaultFrom === "project" ? "the project's" : "the agent's (the project sets none)";
  const chain = routing.fallbackChain.map((id, index) => `${index + 1}. ${id} (${chainSource(config, routing, id)})`);
  const refused = summaries.filter((summary) => summary.refusal !== null);
  return [
    `project "${project}":`,
    `  default   ${routing.defaultProvider ?? "(none)"}, ${from}`,
    `  chain     ${chain.length === 0 ? "(none)" : chain.join(", ")}`,
    `  policy    ${policyText(routing, config.agent)}`,
    ...(refused.length === 0 ? ["  refused   (none)"] : refused.map((summary, index) => `  ${index === 0 ? "refused   " : "          "}${summary.id}: ${summary.refusal!.reason.replace(`the provider "${summary.id}" is `, "")}`)),
  ];
}
