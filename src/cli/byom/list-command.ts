import type { Command } from "commander";
import { readWorkspaceSettings } from "../../byom/config-files.js";
import { describeStore } from "../../byom/secret-store-access.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { columns, credentialText, summarize } from "./provider-summary.js";

/** `prose byom list`: the agent's providers, never a secret (at most its last four characters). */
export function registerListCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(byom.command("list").description("List the agent's model providers.")).action(async (options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      const config = await session.agentConfig();
      const settings = await readWorkspaceSettings(session.workspace);
      const summaries = await Promise.all(config.providers.map((provider) => summarize(config, provider, () => session.secretStore())));
      const lines: string[] = [];
      if (summaries.length === 0) {
        lines.push(`The agent "${session.agent}" has no model providers yet: add one with \`prose byom add <type>${session.agent === "default" ? "" : ` --agent ${session.agent}`} …\`.`);
      } else {
        const rows = [["ID", "TYPE", "NAME", "MODEL", "SECRET", ""]];
        for (const summary of summaries) {
          const marks = [summary.default ? "default" : "", summary.fallbackPosition === null ? "" : `fallback ${summary.fallbackPosition}`, summary.enabled ? "" : "disabled"].filter(Boolean).join(", ");
          rows.push([summary.id, summary.type, summary.name, summary.primaryModel, credentialText(summary), marks]);
        }
        lines.push(...columns(rows));
      }
      session.print({ agent: session.agent, workspace: session.workspace, store: settings.store, defaultProvider: config.defaultProvider, fallbackChain: config.fallbackChain, providers: summaries }, lines);
      if (!session.json) session.writer.err(`agent "${session.agent}" in ${session.workspace}; secrets in the ${describeStore(settings.store)} store`);
      return 0;
    });
  });
}
