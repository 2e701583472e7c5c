import { z } from "zod";
import { type ReasoningLevel, reasoningLevels, type SettingsSpec } from "../llm/provider-descriptor.js";
import { providerDescriptors, type ProviderSettingsOf, type ProviderType } from "../llm/provider-registry.js";

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

/**
 * The Redis that keeps the agents' limits and cooldowns for every process (`docs/scaling.md`).
 * Never a password: workspace.json is safe to commit; the password is PROSE_REDIS_PASSWORD
 * (or the whole URL is PROSE_REDIS_URL, which wins over this).
 */
const redisUrl = z.string().refine((url) => {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "redis:" || parsed.protocol === "rediss:") && parsed.hostname !== "" && parsed.password === "";
  } catch {
    return false;
  }
}, "redis is a URL redis://HOST:PORT (or rediss://) without a password: set the password in PROSE_REDIS_PASSWORD");

/** `.prose/workspace.json`: where the workspace keeps its secrets, and the Redis of its shared limits. */
export const workspaceSettingsSchema = z.object({ version: z.literal(1), store: storeSettingsSchema, redis: redisUrl.optional() }).strict();
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

export { type ReasoningLevel, reasoningLevels };

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "an id holds lower-case letters, digits and -"),
  name: text,
  /** The active credential version in the secret store; null when the provider needs no secret. */
  credentialVersion: positiveInteger.nullable(),
  models: z.array(modelSchema).min(1),
  limits: limitsSchema,
  enabled: z.boolean(),
  /** Absent means "off". */
  reasoning: z.enum(reasoningLevels).optional(),
  /**
   * Marked by the user (`byom add|edit --no-training`): the account neither retains requests nor
   * trains on them. The adapter then sends the provider's opt-out where it has one; an agent or
   * project policy `requireNoTraining` refuses every provider not so marked. Absent means false.
   */
  noTraining: z.boolean().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
};

/** A provider configuration: the fields every type has, with the type's own settings (its descriptor's). */
export type ProviderConfig = {
  [Type in ProviderType]: {
    id: string;
    name: string;
    credentialVersion: number | null;
    models: ModelEntry[];
    limits: Limits;
    enabled: boolean;
    reasoning?: ReasoningLevel;
    noTraining?: boolean;
    createdAt: string;
    updatedAt: string;
    type: Type;
    settings: ProviderSettingsOf<Type>;
  };
}[ProviderType];

/** The settings a descriptor lists: texts and http(s) URLs, some optional; no others. */
function settingsSchema(spec: SettingsSpec) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, setting] of Object.entries(spec)) {
    const value = setting.kind === "url" ? httpUrl : text;
    shape[name] = setting.optional === true ? value.optional() : value;
  }
  return z.object(shape).strict();
}

/**
 * Fields older versions wrote and that mean nothing now; a file that has them still reads, and
 * loses them at its next write. `flags` ({"noTraining", "reasoning"}) was stored and never used:
 * no-training and reasoning settings come back, working, with BYOM v1 (README.md).
 */
const retiredFields = ["flags"];

function withoutRetiredFields(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !retiredFields.some((field) => field in value)) return value;
  const copy: Record<string, unknown> = { ...value };
  for (const field of retiredFields) delete copy[field];
  return copy;
}

const providerObjects = providerDescriptors.map((descriptor) => z.object({ ...common, type: z.literal(descriptor.type), settings: settingsSchema(descriptor.settings) }).strict());

export const providerSchema = z.preprocess(
  withoutRetiredFields,
  z.discriminatedUnion("type", providerObjects as unknown as [(typeof providerObjects)[number], ...(typeof providerObjects)[number][]]),
) as unknown as z.ZodType<ProviderConfig>;

/**
 * How the agent sends email (`prose byom email add`): its SMTP server and sender. `security` is
 * `tls` (implicit TLS, port 465), `starttls` (the server must offer STARTTLS) or `auto` (STARTTLS
 * when the server offers it; required when a password would go to a host other than this
 * machine). The password is `{agent, providerId: "email", version}` in the secret store.
 */
export const emailSettingsSchema = z
  .object({
    host: z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, "a host name or IP address"),
    port: z.number().int().min(1).max(65535),
    from: z.string().regex(/^[^\s@<>,;"]+@[^\s@<>,;"]+$/, "an email address such as robot@example.com"),
    security: z.enum(["auto", "starttls", "tls"]),
    user: text.optional(),
    credentialVersion: positiveInteger.nullable(),
    updatedAt: timestamp,
  })
  .strict();
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

/** What an agent or a project requires of every provider it calls (`prose byom policy`). */
export const policySchema = z.object({ requireNoTraining: z.boolean().optional() }).strict();
export type Policy = z.infer<typeof policySchema>;

/** Project names are the `--project` labels of runs; those with settings must be simple words. */
export const projectNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * A project's own routing (BYOM v1, "Projects"): its default provider and fallback chain, used by
 * runs with `--project NAME` before the agent's (project-routing.ts), and its own policy, added to
 * the agent's. Absent fields mean "as the agent".
 */
export const projectSettingsSchema = z
  .object({
    defaultProvider: text.optional(),
    fallbackChain: z.array(text).optional(),
    policy: policySchema.optional(),
  })
  .strict();
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;

/** `.prose/agents/<agent>.json`: one agent's providers, default provider and fallback chain, projects and policy. */
export const agentConfigSchema = z
  .object({
    version: z.literal(1),
    agent: text,
    defaultProvider: text.nullable(),
    fallbackChain: z.array(text),
    providers: z.array(providerSchema),
    policy: policySchema.optional(),
    projects: z.record(z.string().regex(projectNamePattern, "a project name holds letters, digits, . _ and -"), projectSettingsSchema).optional(),
    email: emailSettingsSchema.optional(),
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
    for (const [name, project] of Object.entries(agent.projects ?? {})) {
      if (project.defaultProvider !== undefined && !ids.includes(project.defaultProvider)) {
        context.addIssue({ code: "custom", path: ["projects", name, "defaultProvider"], message: `no provider has the id "${project.defaultProvider}"` });
      }
      (project.fallbackChain ?? []).forEach((id, index) => {
        if (!ids.includes(id)) context.addIssue({ code: "custom", path: ["projects", name, "fallbackChain", index], message: `no provider has the id "${id}"` });
      });
    }
  });
export type AgentConfig = z.infer<typeof agentConfigSchema>;

export function emptyAgentConfig(agent: string): AgentConfig {
  return { version: 1, agent, defaultProvider: null, fallbackChain: [], providers: [] };
}

export function reasoningOf(provider: ProviderConfig): ReasoningLevel {
  return provider.reasoning ?? "off";
}

export function primaryModel(provider: ProviderConfig): string {
  return provider.models.find((model) => model.role === "primary")?.id ?? provider.models[0].id;
}
