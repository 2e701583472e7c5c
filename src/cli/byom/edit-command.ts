import { type Command, Option } from "commander";
import { providerDescriptors } from "../../llm/provider-registry.js";
import { ByomError } from "../../byom/byom-error.js";
import { updateAgentConfig } from "../../byom/config-files.js";
import { applyProviderEdits, describeEdit, type EditedSetting, type ProviderEdits } from "../../byom/edit-provider.js";
import { typeOptions } from "../../byom/provider-options.js";
import { refusedByPolicy } from "../../byom/routing-choices.js";
import { unknownProviderMessage } from "../../byom/select-provider.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretArguments, refuseSecretLikeValues } from "./secret-arguments.js";

type EditOptions = CommonOptions & Omit<ProviderEdits, "typeOptions" | "noTraining"> & { training?: boolean; noTraining?: boolean } & Record<string, unknown>;

/**
 * `prose byom edit <id> …`: a provider's name, limits, reasoning, no-training mark and type
 * settings, checked as `add` checks them (an invalid value changes nothing); never its credential.
 * A running process applies the new limits from its next call (it re-reads the agent file).
 */
export function registerEditCommand(byom: Command, context: ByomCommandContext): void {
  const command = byom
    .command("edit")
    .description("Change a provider's settings and limits (never its secret: see `prose byom rotate`).")
    .argument("<id>", "the provider id")
    .allowExcessArguments()
    .option("--name <name>", "a new name for people (the id stays)")
    .option("--rpm <n>", 'requests per minute at most; "none" removes the limit')
    .option("--tpm <n>", 'tokens per minute at most; "none" removes the limit')
    .option("--concurrency <n>", 'calls at the same time at most; "none" removes the limit')
    .option("--retries <n>", 'retries of a failed call on each model; "none" for the default (2)')
    .option("--timeout <seconds>", 'seconds one attempt may take; "none" for the default (120)')
    .option("--reasoning <level>", "how much the models may reason: off or low")
    // Both flags are defined so that neither is assumed: commander would take --no-training alone as "training" by default.
    .option("--training", "remove the no-training mark")
    .option("--no-training", "mark the account as neither retaining nor training on requests");
  // Each type's own options that are settings; one that is not (Azure's --deployment, a model) is accepted only to be refused with the fix.
  for (const option of typeOptions()) {
    const isSetting = providerDescriptors.some((descriptor) => option.name in descriptor.settings);
    command.addOption(isSetting ? new Option(option.flag, option.help) : new Option(option.flag, option.help).hideHelp());
  }
  withCommonOptions(command).action(async (id: string, options: EditOptions, self: Command) => {
    await runByomCommand(context, options, async (session) => {
      refuseSecretLikeValues(options, [id]);
      refuseSecretArguments(options, self.args.slice(1));
      const own = new Set(typeOptions().map((option) => option.name));
      const given = (name: string) => self.getOptionValueSource(name) === "cli";
      const edits: ProviderEdits = {
        typeOptions: Object.fromEntries(Object.entries(options).filter(([name]) => own.has(name) && given(name))) as Record<string, string>,
      };
      for (const name of ["name", "rpm", "tpm", "concurrency", "retries", "timeout", "reasoning"] as const) {
        const value = options[name];
        if (typeof value === "string") edits[name] = value;
      }
      if (given("training")) edits.noTraining = options.training === false;
      if (Object.keys(edits).length === 1 && Object.keys(edits.typeOptions).length === 0) {
        throw new ByomError("`prose byom edit` needs a setting to change.", "For example --rpm 60, --concurrency none, --reasoning low or --no-training (`prose byom edit --help` lists them).");
      }
      const now = (context.services.now?.() ?? new Date()).toISOString();
      const { changes, warnings } = await session.change("byom edit", () =>
        updateAgentConfig(session.workspace, session.agent, (config) => {
          const provider = config.providers.find((candidate) => candidate.id === id);
          if (provider === undefined) throw new ByomError(unknownProviderMessage(id, config));
          const changes = applyProviderEdits(provider, edits);
          if (changes.length > 0) provider.updatedAt = now;
          const refused = changes.some((change) => change.setting === "noTraining") ? policyWarnings(config, id) : [];
          return { changes, warnings: refused };
        }),
      );
      session.warn(warnings);
      session.print({ agent: session.agent, id, changed: changes, warnings }, textOf(id, changes));
      return 0;
    });
  });
}

function textOf(id: string, changes: EditedSetting[]): string[] {
  if (changes.length === 0) return [`Nothing changed: ${id} already had those settings.`];
  return [`Changed ${id}:`, ...changes.map((change) => `  ${describeEdit(change)}`)];
}

/** The policies (the agent's, its projects') that now refuse the provider. */
function policyWarnings(config: Parameters<typeof refusedByPolicy>[0], id: string): string[] {
  const ownPolicy = (project: string) => config.policy?.requireNoTraining !== true && config.projects?.[project]?.policy?.requireNoTraining === true;
  const scopes = [undefined, ...Object.keys(config.projects ?? {}).filter(ownPolicy)];
  return scopes.flatMap((project) => refusedByPolicy(config, project)).filter((warning) => warning.startsWith(`the provider "${id}" is not marked no-training`));
}
