import type { Command } from "commander";
import { updateAgentConfig } from "../../byom/config-files.js";
import { verifyProvider } from "../../byom/verify-provider.js";
import { reasoningLine } from "../../llm/reasoning-sent.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";

/**
 * `prose byom verify <id>`: one minimal call per model, each reported: ok, or the failure in plain
 * words, and what the call sent about reasoning (whether it could be turned off). Exit 1 when one fails.
 */
export function registerVerifyCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(byom.command("verify").description("Make one minimal call per model of a provider and report each, with whether its reasoning could be turned off.").argument("<id>", "the provider id")).action(
    async (id: string, options: CommonOptions) => {
      await runByomCommand(context, options, async (session) => {
        const { provider } = await session.provider(id);
        const secret = provider.credentialVersion === null ? undefined : await (await session.secretStore()).get({ agent: session.agent, providerId: id, version: provider.credentialVersion });
        const results = await verifyProvider(provider, secret, context.services.fetch === undefined ? {} : { fetch: context.services.fetch });
        const verifiedAt = (context.services.now?.() ?? new Date()).toISOString();
        await session.change("byom verify", () => updateAgentConfig(session.workspace, session.agent, (config) => {
          const current = config.providers.find((candidate) => candidate.id === id);
          for (const model of current?.models ?? []) {
            const result = results.find((candidate) => candidate.model === model.id);
            if (result === undefined) continue;
            model.verified = result.ok;
            if (result.ok) model.verifiedAt = verifiedAt;
            else delete model.verifiedAt;
          }
        }));
        const failed = results.filter((result) => !result.ok).length;
        const lines = [`${provider.name} (${id}):`];
        for (const result of results) {
          lines.push(`  ${result.model}: ${result.message}`);
          if (result.reasoning !== undefined) lines.push(`    ${reasoningLine({ control: result.reasoning, detail: result.reasoningDetail ?? "" })}`);
          for (const warning of result.warnings) lines.push(`    note: ${warning}`);
        }
        lines.push(failed === 0 ? `All ${results.length} model${results.length === 1 ? "" : "s"} answered.` : `${failed} of ${results.length} model${results.length === 1 ? "" : "s"} failed.`);
        session.print({ id, agent: session.agent, ok: failed === 0, models: results }, lines);
        return failed === 0 ? 0 : 1;
      });
    },
  );
}
