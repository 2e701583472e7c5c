import type { LanguageModel, ProviderType } from "./language-model.js";

/** What a call's block lines say about its model; every part is optional. */
export interface ModelChoice {
  /** From `the openai model is "…"` and its siblings. */
  providerType?: ProviderType;
  /** From `the model provider is "<id>"`. */
  providerId?: string;
  /** From `the … model is "…"` or `the model is "…"`. */
  model?: string;
}

/** Finds the model a call uses. The environment resolver is the first; the BYOM layer replaces it. */
export interface ModelResolver {
  /** Fails with a `ModelResolutionError` whose message names the fix. */
  resolve(choice: ModelChoice): Promise<LanguageModel>;
}

/** No model can serve the choice: missing credentials, unknown provider, model not named. */
export class ModelResolutionError extends Error {
  override readonly name = "ModelResolutionError";
}

/**
 * A model of the route that cannot serve the call by configuration (its provider is disabled,
 * or a policy refuses it): the router skips it with a warning, even as the call's own model, while
 * a later model of the route remains.
 */
export class ProviderUnavailableError extends ModelResolutionError {}
