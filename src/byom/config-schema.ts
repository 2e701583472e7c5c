import { z } from "zod";

/**
 * The BYOM configuration files, checked with zod when read. They hold references to secrets
 * (an agent, a provider id and a credential version), never their values.
 */

const text = z.string().min(1);
const httpUrl = z.url({ protocol: /^https?$/ });
const positiveInteger = z.number().int().positive();
const timestamp = z.iso.datetime();

export const storeSettingsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("local") }).strict(),
  z
    .object({
      kind: z.literal("aws-ssm"),
      prefix: z.string().regex(/^\/[\w.\-/]*$/, "a parameter prefix starts with / and holds letters, digits, _ . - and /"),
      region: text,
      endpoint: httpUrl.optional(),
      kmsKeyId: text.optional(),
    })
    .strict(),
]);
export type StoreSettings = z.infer<typeof storeSettingsSchema>;

/** `.prose/workspace.json`: where the workspace keeps its secrets. */
export const workspaceSettingsSchema = z.object({ version: z.literal(1), store: storeSettingsSchema }).strict();
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export const modelRoles = ["primary", "fallback", "available"] as const;
export const modelSchema = z
  .object({
    id: text,
    role: z.enum(modelRoles),
    verified: z.boolean(),
    verifiedAt: timestamp.optional(),
  })
  .strict();
export type ModelEntry = z.infer<typeof modelSchema>;

/** Rate limits enforced by queuing, and how the router treats a failing call: retries per model, seconds per attempt. */
export const limitsSchema = z
  .object({
    requestsPerMinute: positiveInteger.optional(),
    tokensPerMinute: positiveInteger.optional(),
    concurrency: positiveInteger.optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    timeoutSeconds: z.number().positive().max(3600).optional(),
  })
  .strict();
export type Limits = z.infer<typeof limitsSchema>;

export const reasoningLevels = ["off", "low"] as const;
export const flagsSchema = z.object({ noTraining: z.boolean(), reasoning: z.enum(reasoningLevels) }).strict();

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "an id holds lower-case letters, digits and -"),
  name: text,
  /** The active credential version in the secret store; null when the provider needs no secret. */
  credentialVersion: positiveInteger.nullable(),
  models: z.array(modelSchema).min(1),
  limits: limitsSchema,
  flags: flagsSchema,
  enabled: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
};

const optionalBaseUrl = { baseUrl: httpUrl.optional() };

export const providerSchema = z.discriminatedUnion("type", [
  z.object({ ...common, type: z.literal("openai"), settings: z.object({ ...optionalBaseUrl, organization: text.optional() }).strict() }).strict(),
  z.object({ ...common, type: z.literal("azure-openai"), settings: z.object({ endpoint: httpUrl, apiVersion: text }).strict() }).strict(),
  z.object({ ...common, type: z.literal("anthropic"), settings: z.object(optionalBaseUrl).strict() }).strict(),
  z.object({ ...common, type: z.literal("gemini"), settings: z.object(optionalBaseUrl).strict() }).strict(),
  z.object({ ...common, type: z.literal("vertex"), settings: z.object({ projectId: text, location: text, ...optionalBaseUrl }).strict() }).strict(),
  z.object({ ...common, type: z.literal("bedrock"), settings: z.object({ region: text, endpoint: httpUrl.optional() }).strict() }).strict(),
  z.object({ ...common, type: z.literal("custom"), settings: z.object({ baseUrl: httpUrl }).strict() }).strict(),
]);
export type ProviderConfig = z.infer<typeof providerSchema>;

/** `.prose/agents/<agent>.json`: one agent's providers, default provider and fallback chain. */
export const agentConfigSchema = z
  .object({
    version: z.literal(1),
    agent: text,
    defaultProvider: text.nullable(),
    fallbackChain: z.array(text),
    providers: z.array(providerSchema),
  })
  .strict()
  .superRefine((agent, context) => {
    const ids = agent.providers.map((provider) => provider.id);
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) context.addIssue({ code: "custom", path: ["providers", index, "id"], message: `the id "${id}" is used twice` });
    });
    agent.providers.forEach((provider, index) => {
      const primaries = provider.models.filter((model) => model.role === "primary").length;
      if (primaries !== 1) context.addIssue({ code: "custom", path: ["providers", index, "models"], message: `exactly one model must be "primary" (found ${primaries})` });
      if (provider.models.filter((model) => model.role === "fallback").length > 1) {
        context.addIssue({ code: "custom", path: ["providers", index, "models"], message: 'at most one model may be "fallback"' });
      }
    });
    if (agent.defaultProvider !== null && !ids.includes(agent.defaultProvider)) {
      context.addIssue({ code: "custom", path: ["defaultProvider"], message: `no provider has the id "${agent.defaultProvider}"` });
    }
    agent.fallbackChain.forEach((id, index) => {
      if (!ids.includes(id)) context.addIssue({ code: "custom", path: ["fallbackChain", index], message: `no provider has the id "${id}"` });
    });
  });
export type AgentConfig = z.infer<typeof agentConfigSchema>;

export function emptyAgentConfig(agent: string): AgentConfig {
  return { version: 1, agent, defaultProvider: null, fallbackChain: [], providers: [] };
}

export function primaryModel(provider: ProviderConfig): string {
  return provider.models.find((model) => model.role === "primary")?.id ?? provider.models[0].id;
}
