import type { ProviderType } from "../llm/language-model.js";
import { ByomError } from "./byom-error.js";
import { type Limits, type ModelEntry, type ProviderConfig, reasoningLevels } from "./config-schema.js";
import { aOrAn, isKnownModel, providerTypeFacts } from "./known-models.js";

/** What `prose byom add <type>` was given, besides the secret. */
export interface ProviderOptions {
  name?: string;
  endpoint?: string;
  baseUrl?: string;
  projectId?: string;
  location?: string;
  region?: string;
  apiVersion?: string;
  organization?: string;
  deployment?: string;
  /** From --model, in order; the first is the primary model. */
  models: string[];
  fallbackModel?: string;
  rpm?: string;
  tpm?: string;
  concurrency?: string;
  /** Retries of a failed attempt on each model (the router's default, 2, when absent). */
  retries?: string;
  /** Seconds one attempt may take (the router's default, 120, when absent). */
  timeout?: string;
  reasoning?: string;
}

/** A provider configuration before it gets an id, a credential version and timestamps. */
export interface ProviderDraft {
  name: string;
  type: ProviderType;
  settings: ProviderConfig["settings"];
  models: ModelEntry[];
  limits: Limits;
  flags: ProviderConfig["flags"];
  /** Kept, but worth a look: unknown model names. */
  warnings: string[];
}

type OptionName = "endpoint" | "baseUrl" | "projectId" | "location" | "region" | "apiVersion" | "organization" | "deployment";

const optionFlags: Record<OptionName, string> = {
  endpoint: "--endpoint",
  baseUrl: "--base-url",
  projectId: "--project-id",
  location: "--location",
  region: "--region",
  apiVersion: "--api-version",
  organization: "--organization",
  deployment: "--deployment",
};

const allowedOptions: Record<ProviderType, OptionName[]> = {
  openai: ["baseUrl", "organization"],
  "azure-openai": ["endpoint", "apiVersion", "deployment"],
  anthropic: ["baseUrl"],
  gemini: ["baseUrl"],
  vertex: ["projectId", "location", "baseUrl"],
  bedrock: ["region", "endpoint"],
  custom: ["baseUrl"],
};

export const defaultAzureApiVersion = "2024-10-21";
export const defaultVertexLocation = "us-central1";

/** Checks the options against the type and builds the configuration's settings, models, limits and flags. */
export function draftProvider(type: ProviderType, options: ProviderOptions, credentialProjectId?: string): ProviderDraft {
  for (const [option, flag] of Object.entries(optionFlags) as Array<[OptionName, string]>) {
    if (options[option] !== undefined && !allowedOptions[type].includes(option)) {
      const accepted = allowedOptions[type].map((name) => optionFlags[name]).join(", ");
      throw new ByomError(`${capitalized(aOrAn(type))} provider does not use ${flag}.`, `Leave it out; ${type} takes ${accepted}.`);
    }
  }
  const models = modelsOf(type, options);
  const primary = models[0].id;
  const warnings = models.filter((model) => !isKnownModel(type, model.id)).map((model) => unknownModelWarning(type, model.id));
  return {
    name: options.name?.trim() || `${providerTypeFacts[type].displayName} ${primary}`,
    type,
    settings: settingsOf(type, options, primary, credentialProjectId),
    models,
    limits: limitsOf(options),
    flags: { noTraining: true, reasoning: reasoningOf(options.reasoning) },
    warnings,
  };
}

function settingsOf(type: ProviderType, options: ProviderOptions, primary: string, credentialProjectId: string | undefined): ProviderConfig["settings"] {
  const baseUrl = options.baseUrl === undefined ? {} : { baseUrl: httpUrl(options.baseUrl, "--base-url", type) };
  switch (type) {
    case "openai":
      return { ...baseUrl, ...(options.organization === undefined ? {} : { organization: options.organization }) };
    case "anthropic":
    case "gemini":
      return baseUrl;
    case "custom":
      if (options.baseUrl === undefined) {
        throw new ByomError("A custom provider needs --base-url, the URL of its OpenAI-compatible API.", "For example --base-url http://localhost:8000/v1 (vLLM, Ollama, LM Studio and others serve /v1).");
      }
      return { baseUrl: httpUrl(options.baseUrl, "--base-url", type) };
    case "azure-openai":
      return { endpoint: azureEndpoint(options, primary), apiVersion: options.apiVersion ?? defaultAzureApiVersion };
    case "vertex": {
      const projectId = options.projectId ?? credentialProjectId;
      if (projectId === undefined) throw new ByomError("A vertex provider needs --project-id: the service-account JSON names no project_id.", "Give the Google Cloud project, for example --project-id my-project.");
      return { projectId, location: options.location ?? defaultVertexLocation, ...baseUrl };
    }
    case "bedrock":
      if (options.region === undefined) throw new ByomError("A bedrock provider needs --region, the AWS region of its models.", "For example --region us-east-1.");
      return { region: options.region, ...(options.endpoint === undefined ? {} : { endpoint: httpUrl(options.endpoint, "--endpoint", type) }) };
  }
}

/**
 * The Azure resource's base URL. A deployment's Target URI (…/openai/deployments/NAME/chat/completions?api-version=…)
 * is refused with the base URL to use instead, and the deployment it names must be the model.
 */
function azureEndpoint(options: ProviderOptions, primary: string): string {
  if (options.endpoint === undefined) {
    throw new ByomError("An azure-openai provider needs --endpoint, the resource's base URL.", "Copy it from the Azure portal (Keys and Endpoint), for example --endpoint https://NAME.openai.azure.com/.");
  }
  const url = new URL(httpUrl(options.endpoint, "--endpoint", "azure-openai"));
  const deployment = /\/openai\/deployments\/([^/]+)/.exec(url.pathname)?.[1];
  if (url.pathname.replace(/\/+$/, "") !== "" || url.search !== "") {
    const named = deployment === undefined ? "" : ` (it names the deployment "${decodeURIComponent(deployment)}")`;
    throw new ByomError(
      `--endpoint must be the resource's base URL, not a deployment's Target URI${named}.`,
      `Use --endpoint ${url.origin}/ and name the deployment with --model.`,
    );
  }
  return `${url.origin}/`;
}

function modelsOf(type: ProviderType, options: ProviderOptions): ModelEntry[] {
  const named = [...options.models];
  if (type === "azure-openai" && options.deployment !== undefined) {
    if (named.length === 0) named.push(options.deployment);
    else if (named[0] !== options.deployment) {
      throw new ByomError(
        `The Azure deployment "${options.deployment}" is not named like its model "${named[0]}": Prose calls a deployment by the model id.`,
        `Name the deployment "${named[0]}" in Azure AI Foundry, or give --model ${options.deployment} when it serves that model.`,
      );
    }
  }
  if (named.length === 0) {
    const fallback = providerTypeFacts[type].defaultModel;
    if (fallback === undefined) throw new ByomError(`${capitalized(aOrAn(type))} provider needs --model: ${modelHint[type]}.`, `For example --model ${modelExample[type]}.`);
    named.push(fallback);
  }
  const models: ModelEntry[] = [];
  for (const [index, id] of named.entries()) {
    if (models.some((model) => model.id === id)) continue;
    models.push({ id, role: index === 0 ? "primary" : "available", verified: false });
  }
  if (options.fallbackModel !== undefined) {
    const existing = models.find((model) => model.id === options.fallbackModel);
    if (existing?.role === "primary") throw new ByomError(`"${options.fallbackModel}" is already the primary model; a fallback model must be another one.`, "Give --fallback-model another model.");
    if (existing) existing.role = "fallback";
    else models.push({ id: options.fallbackModel, role: "fallback", verified: false });
  }
  return models;
}

const modelHint: Record<ProviderType, string> = {
  openai: "the model id",
  "azure-openai": "the deployment name, which must equal the model id",
  anthropic: "the model id",
  gemini: "the model id",
  vertex: "the model id",
  bedrock: "the model id or inference profile id",
  custom: "the model name the server serves (see its /v1/models)",
};

const modelExample: Record<ProviderType, string> = {
  openai: "gpt-4.1-mini",
  "azure-openai": "gpt-4o-mini",
  anthropic: "claude-haiku-4-5",
  gemini: "gemini-2.5-flash",
  vertex: "gemini-2.5-flash",
  bedrock: "amazon.nova-lite-v1:0",
  custom: "llama-3.1-8b-instruct",
};

export function unknownModelWarning(type: ProviderType, model: string): string {
  return `"${model}" is not ${aOrAn(type)} model Prose knows (known: ${providerTypeFacts[type].knownModels.join(", ")}); it is kept: check the name if \`prose byom verify\` fails.`;
}

function httpUrl(value: string, flag: string, type: ProviderType): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    const example = type === "custom" ? "http://localhost:8000/v1" : type === "azure-openai" ? "https://NAME.openai.azure.com/" : "https://…";
    throw new ByomError(`${flag} must be an http:// or https:// URL, and "${value}" is not one.`, `Write the full URL, for example ${flag} ${example}.`);
  }
  return url.href;
}

function limitsOf(options: ProviderOptions): Limits {
  const limits: Limits = {};
  const parse = (value: string | undefined, flag: string) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
      throw new ByomError(`${flag} must be a whole number above 0, not "${value}".`, `For example ${flag} 60.`);
    }
    return Number(value);
  };
  const requestsPerMinute = parse(options.rpm, "--rpm");
  const tokensPerMinute = parse(options.tpm, "--tpm");
  const concurrency = parse(options.concurrency, "--concurrency");
  if (requestsPerMinute !== undefined) limits.requestsPerMinute = requestsPerMinute;
  if (tokensPerMinute !== undefined) limits.tokensPerMinute = tokensPerMinute;
  if (concurrency !== undefined) limits.concurrency = concurrency;
  if (options.retries !== undefined) {
    const retries = options.retries.trim();
    if (!/^\d+$/.test(retries) || Number(retries) > 10) throw new ByomError(`--retries must be a whole number from 0 to 10, not "${options.retries}".`, "For example --retries 2 (0 sends each model one attempt).");
    limits.maxRetries = Number(retries);
  }
  if (options.timeout !== undefined) {
    const seconds = Number(options.timeout.trim());
    if (!/^\d+(\.\d+)?$/.test(options.timeout.trim()) || seconds <= 0 || seconds > 3600) {
      throw new ByomError(`--timeout must be a number of seconds above 0 (at most 3600), not "${options.timeout}".`, "For example --timeout 60.");
    }
    limits.timeoutSeconds = seconds;
  }
  return limits;
}

function reasoningOf(value: string | undefined): "off" | "low" {
  if (value === undefined) return "off";
  if ((reasoningLevels as readonly string[]).includes(value)) return value as "off" | "low";
  throw new ByomError(`--reasoning must be "off" or "low", not "${value}".`, "Models reason as little as they allow with off; low lets them think a little.");
}

function capitalized(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}
