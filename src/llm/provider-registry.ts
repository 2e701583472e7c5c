import { anthropicDescriptor } from "./anthropic/anthropic-descriptor.js";
import { bedrockDescriptor } from "./bedrock/bedrock-descriptor.js";
import { geminiDescriptor } from "./google/gemini-descriptor.js";
import { vertexDescriptor } from "./google/vertex-descriptor.js";
import { azureOpenAiDescriptor } from "./openai/azure-openai-descriptor.js";
import { customDescriptor } from "./openai/custom-descriptor.js";
import { openAiDescriptor } from "./openai/openai-descriptor.js";
import type { ProviderDescriptor, SettingsOf, SettingsSpec } from "./provider-descriptor.js";

/**
 * Every provider type, one descriptor each, in the order they are listed to people. The types
 * marked `automatic` are tried in this order when a call names no provider. Adding a type is its
 * descriptor in its adapter folder and one line here (src/llm/README.md, "Adding a provider type").
 */
export const providerDescriptors = [
  openAiDescriptor,
  azureOpenAiDescriptor,
  anthropicDescriptor,
  geminiDescriptor,
  vertexDescriptor,
  bedrockDescriptor,
  customDescriptor,
] as const;

export type ProviderType = (typeof providerDescriptors)[number]["type"];

/** The settings of a configuration of one type. */
export type ProviderSettingsOf<Type extends ProviderType> = Extract<(typeof providerDescriptors)[number], { type: Type }> extends ProviderDescriptor<Type, infer Spec> ? SettingsOf<Spec> : never;

/** A descriptor seen without its own settings type, as code that handles every type sees it. */
export type AnyProviderDescriptor = ProviderDescriptor<ProviderType, SettingsSpec>;

export const providerTypes: readonly ProviderType[] = providerDescriptors.map((descriptor) => descriptor.type);

export function isProviderType(value: string): value is ProviderType {
  return (providerTypes as readonly string[]).includes(value);
}

export function providerDescriptor(type: ProviderType): AnyProviderDescriptor {
  return providerDescriptors.find((descriptor) => descriptor.type === type) as unknown as AnyProviderDescriptor;
}

/** The types a call that names no provider may use, in the order they are tried. */
export const automaticTypes: readonly ProviderType[] = providerDescriptors.filter((descriptor) => descriptor.automatic).map((descriptor) => descriptor.type);

/** The automatic types first, then the others: the order environment types and block lines are listed in. */
export const typesInTryOrder: readonly ProviderType[] = [...automaticTypes, ...providerTypes.filter((type) => !automaticTypes.includes(type))];
