import type { Command } from "commander";
import { addProvider } from "../../byom/add-provider.js";
import { ByomError } from "../../byom/byom-error.js";
import { type ProviderOptions, typeOptions } from "../../byom/provider-options.js";
import { isProviderType, providerTypes } from "../../llm/provider-registry.js";
import { secretSourceOf } from "../../byom/secret-input.js";
import { readProcessStandardInput } from "../cli-services.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretArguments, withSecretOptions } from "./secret-arguments.js";

const collect = (value: string, previous: string[]) => [...previous, value];

type AddOptions = CommonOptions &
  Omit<ProviderOptions, "models" | "typeOptions"> & { model: string[]; primary?: boolean; training?: boolean; apiKeyStdin?: boolean; apiKeyEnv?: string; credentialsFile?: string } & Record<string, unknown>;

/** `prose byom add <type> …`: adds a provider configuration to the agent and prints its id. */
export function registerAddCommand(byom: Command, context: ByomCommandContext): void {
  const command = byom
    .command("add")
    .description(`Add a model provider to the agent; prints its id. Types: ${providerTypes.join(", ")}.`)
    .argument("<type>", "the provider type")
    // Extra arguments are read only to refuse a key typed there.
    .allowExcessArguments()
    .option("--name <name>", "a name for people; the id is made from it")
    .option("--model <model>", "a model; the first is the primary one (repeatable)", collect, [])
    .option("--primary", "the first --model is the primary model (it always is)")
    .option("--fallback-model <model>", "the model tried when the primary one fails")
    .option("--rpm <n>", "requests per minute at most")
    .option("--tpm <n>", "tokens per minute at most")
    .option("--concurrency <n>", "calls at the same time at most")
    .option("--retries <n>", "retries of a failed call on each model (default 2)")
    .option("--timeout <seconds>", "seconds one attempt may take (default 120)")
    .option("--reasoning <level>", "how much the models may reason: off (the least they allow; the default) or low")
    .option("--no-training", "mark the account as neither retaining nor training on requests (its opt-out is sent where the provider has one)");
  // Each type's own options, as the provider descriptors list them.
  for (const option of typeOptions()) command.option(option.flag, option.help);
  withSecretOptions(withCommonOptions(command)).action(async (type: string, options: AddOptions, self: Command) => {
    const extra = self.args.slice(1);
    await runByomCommand(context, options, async (session) => {
      refuseSecretArguments({ ...options, type }, extra);
      if (!isProviderType(type)) throw new ByomError(`"${type}" is not a provider type.`, `Use one of: ${providerTypes.join(", ")}.`);
      const source = secretSourceOf(options);
      const own = new Set(typeOptions().map((option) => option.name));
      const typeValues = Object.fromEntries(Object.entries(options).filter(([name]) => own.has(name))) as Record<string, string | undefined>;
      const { name, fallbackModel, rpm, tpm, concurrency, retries, timeout, reasoning } = options;
      // Commander gives --no-training as `training: false`.
      const common = { name, fallbackModel, rpm, tpm, concurrency, retries, timeout, reasoning, ...(options.training === false ? { noTraining: true } : {}) };
      const defined = Object.fromEntries(Object.entries(common).filter(([, value]) => value !== undefined)) as Omit<ProviderOptions, "models" | "typeOptions">;
      const added = await addProvider(
        {
          workspace: session.workspace,
          agent: session.agent,
          store: () => session.secretStore(),
          change: (command, work) => session.change(command, work),
          input: { readStandardInput: context.services.readStandardInput ?? readProcessStandardInput, environment: context.environment, currentDirectory: session.currentDirectory },
          ...(context.services.idSources === undefined ? {} : { idSources: context.services.idSources }),
          ...(context.services.now === undefined ? {} : { now: context.services.now }),
        },
        type,
        { ...defined, typeOptions: typeValues, models: options.model },
        source,
      );
      session.warn(added.warnings);
      const { provider } = added;
      session.print({ id: provider.id, agent: session.agent, type, name: provider.name, default: added.isDefault, models: provider.models, reasoning: provider.reasoning ?? "off", noTraining: provider.noTraining === true, warnings: added.warnings }, [provider.id]);
      if (!session.json) session.writer.err(`Added ${provider.name} (${type}) to the agent "${session.agent}"${added.isDefault ? " as its default provider" : ""}.`);
      return 0;
    });
  });
}
