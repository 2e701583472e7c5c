import { maxAnswerBytesFrom } from "./answer-checks.js";
import type { LanguageModel, ProviderType } from "./language-model.js";
import { type ModelChoice, ModelResolutionError, type ModelResolver } from "./model-resolver.js";
import type { Environment } from "./provider-descriptor.js";
import { automaticTypes, providerDescriptor, typesInTryOrder } from "./provider-registry.js";

export type { Environment };

/**
 * The first resolver: providers come from the standard environment variables,
 * one per type, whose provider id is the type itself. The environment is passed
 * in, never read from process.env here. Each type's descriptor says which
 * variables configure it and builds its adapter, which loads its SDK only when called.
 */
export class EnvironmentModelResolver implements ModelResolver {
  private readonly models = new Map<string, Promise<LanguageModel>>();

  constructor(
    private readonly environment: Environment,
    /** `maxAnswerBytes` replaces PROSE_MAX_ANSWER_BYTES (the BYOM resolver reads it once for all its models). */
    private readonly options: { fetch?: typeof fetch; maxAnswerBytes?: number } = {},
  ) {}

  /** The provider types the environment configures, in the order tried when a call names none. */
  configuredTypes(): ProviderType[] {
    return typesInTryOrder.filter((type) => providerDescriptor(type).environment.isConfigured(this.environment));
  }

  async resolve(choice: ModelChoice): Promise<LanguageModel> {
    const type = this.providerTypeOf(choice);
    const descriptor = providerDescriptor(type);
    const model = choice.model ?? descriptor.models.default;
    if (model === undefined) {
      const line = descriptor.blockLine === undefined ? 'the model provider is "…"` with `the model is "…"' : `the ${descriptor.blockLine.line} is "${descriptor.blockLine.placeholder}"`;
      throw new ModelResolutionError(`${descriptor.displayName} has no default model: name one in the call with \`${line}\`.`);
    }
    const key = `${type}\u0000${model}`;
    let created = this.models.get(key);
    if (created === undefined) {
      created = this.create(type, model);
      this.models.set(key, created);
      created.catch(() => this.models.delete(key));
    }
    return created;
  }

  private providerTypeOf(choice: ModelChoice): ProviderType {
    const configured = this.configuredTypes();
    if (choice.providerId !== undefined) {
      const type = configured.find((candidate) => candidate === choice.providerId);
      if (type !== undefined) return type;
      const known = configured.length === 0 ? "none" : configured.map((id) => `"${id}"`).join(", ");
      throw new ModelResolutionError(
        `Unknown model provider "${choice.providerId}": the environment provides ${known}. Add it with \`prose byom add <type> --name ${choice.providerId} …\`.`,
      );
    }
    if (choice.providerType !== undefined) return choice.providerType;
    const automatic = automaticTypes.find((type) => configured.includes(type));
    if (automatic !== undefined) return automatic;
    throw new ModelResolutionError(`No model provider is configured: set ${keyVariables()}, or add a provider with \`prose byom add <type> --api-key-env VAR\`.`);
  }

  private async create(type: ProviderType, model: string): Promise<LanguageModel> {
    const descriptor = providerDescriptor(type);
    const maxAnswerBytes = this.options.maxAnswerBytes ?? maxAnswerBytesFrom(this.environment);
    const fail = (detail?: string): never => {
      throw new ModelResolutionError(detail === undefined ? `${descriptor.environment.fix}.` : `${descriptor.environment.fix} (${detail}).`);
    };
    const { settings, secret } = await descriptor.environment.read(this.environment, fail);
    return descriptor.create({
      providerId: type,
      model,
      settings,
      secret,
      ...(this.options.fetch === undefined ? {} : { fetch: this.options.fetch }),
      maxAnswerBytes,
    });
  }
}

/** "OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY": the key variables of the automatic types. */
export function keyVariables(): string {
  const names = automaticTypes.flatMap((type) => providerDescriptor(type).environment.keyVariable ?? []);
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}
