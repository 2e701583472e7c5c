import type { Command } from "commander";
import { readWorkspaceSettings } from "../../byom/config-files.js";
import { describeStore } from "../../byom/secret-store-access.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretLikeValues } from "./secret-arguments.js";
import { effectiveRouting } from "../../byom/project-routing.js";
import { credentialText, policyText, type ProviderSummary, summarize } from "./provider-summary.js";

/** `prose byom show <id>`: one provider in full, never its secret (at most its last four characters). */
export function registerShowCommand(byom: Command, context: ByomCommandContext): void {
  withCommonOptions(byom.command("show").description("Show one model provider.").argument("<id>", "the provider id")).action(async (id: string, options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      refuseSecretLikeValues(options, [id]);
      const { config, provider } = await session.provider(id);
      const summary = await summarize(config, provider, () => session.secretStore());
      const settings = await readWorkspaceSettings(session.workspace);
      const routing = effectiveRouting(config, undefined);
      const policy = { requireNoTraining: routing.requireNoTraining !== undefined };
      session.print({ agent: session.agent, store: settings.store, ...summary, policy }, textOf(summary, describeStore(settings.store), policyText(routing, session.agent)));
      return 0;
    });
  });
}

function textOf(summary: ProviderSummary, store: string, policy: string): string[] {
  const limits = summary.limits;
  const limitText = [
    limits.requestsPerMinute === undefined ? undefined : `${limits.requestsPerMinute} requests/minute`,
    limits.tokensPerMinute === undefined ? undefined : `${limits.tokensPerMinute} tokens/minute`,
    limits.concurrency === undefined ? undefined : `${limits.concurrency} at a time`,
    limits.maxRetries === undefined ? undefined : `${limits.maxRetries} ${limits.maxRetries === 1 ? "retry" : "retries"}`,
    limits.timeoutSeconds === undefined ? undefined : `${limits.timeoutSeconds} s an attempt`,
  ].filter((part) => part !== undefined);
  const settings = Object.entries(summary.settings).map(([name, value]) => `${name} ${String(value)}`);
  return [
    `id          ${summary.id}`,
    `name        ${summary.name}`,
    `type        ${summary.type}${summary.enabled ? "" : " (disabled)"}`,
    `default     ${summary.default ? "yes" : "no"}${summary.fallbackPosition === null ? "" : `; number ${summary.fallbackPosition} in the fallback chain`}`,
    `settings    ${settings.length === 0 ? "(none)" : settings.join(", ")}`,
    `secret      ${credentialText(summary)}${summary.credential === null ? "" : ` (version ${summary.credential.version}, ${store} store)`}`,
    "models",
    ...summary.models.map((model) => `  ${model.id}  ${model.role}${model.verified ? `, verified ${model.verifiedAt ?? ""}`.trimEnd() : ", not verified"}`),
    `limits      ${limitText.length === 0 ? "none" : limitText.join(", ")}`,
    `reasoning   ${summary.reasoning}`,
    `training    ${summary.noTraining ? "no-training (marked: the account neither retains nor trains on requests)" : "not marked no-training"}`,
    `policy      ${policy}`,
    ...(summary.refusal === null ? [] : [`refused     ${summary.refusal.reason}. ${summary.refusal.fix}`]),
    `created     ${summary.createdAt}`,
    `updated     ${summary.updatedAt}`,
  ];
}
