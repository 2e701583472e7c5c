import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ProviderType } from "../llm/language-model.js";
import { providerDescriptor } from "../llm/provider-registry.js";
import { ByomError } from "./byom-error.js";
import { asByomError } from "./provider-options.js";
import type { Environment } from "./workspace.js";

/** Where a secret comes from: never the command line itself. */
export type SecretSource = { kind: "stdin" } | { kind: "environment"; variable: string } | { kind: "file"; path: string };

export interface SecretSourceOptions {
  apiKeyStdin?: boolean;
  apiKeyEnv?: string;
  credentialsFile?: string;
}

export interface SecretInputServices {
  readStandardInput(): Promise<string>;
  environment: Environment;
  currentDirectory: string;
}

/** The one source the options name, or undefined when they name none. */
export function secretSourceOf(options: SecretSourceOptions): SecretSource | undefined {
  const sources: SecretSource[] = [];
  if (options.apiKeyStdin === true) sources.push({ kind: "stdin" });
  if (options.apiKeyEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.apiKeyEnv)) {
      throw new ByomError("--api-key-env takes the name of an environment variable, and this value is not one.", "Write the variable's name, for example --api-key-env OPENAI_API_KEY.");
    }
    sources.push({ kind: "environment", variable: options.apiKeyEnv });
  }
  if (options.credentialsFile !== undefined) sources.push({ kind: "file", path: options.credentialsFile });
  if (sources.length > 1) throw new ByomError("Give the secret one way only.", "Use one of --api-key-stdin, --api-key-env VAR or --credentials-file F.");
  return sources[0];
}

export function describeSource(source: SecretSource): string {
  if (source.kind === "stdin") return "standard input";
  if (source.kind === "environment") return `the variable ${source.variable}`;
  return `the file ${source.path}`;
}

/** The raw text of the secret, trimmed; an English error when the source is empty or unreadable. */
export async function readSecret(source: SecretSource, services: SecretInputServices): Promise<string> {
  let text: string | undefined;
  if (source.kind === "stdin") text = await services.readStandardInput();
  else if (source.kind === "environment") text = services.environment[source.variable];
  else text = await readCredentialsFile(resolve(services.currentDirectory, source.path), source.path);
  const trimmed = text?.trim() ?? "";
  if (trimmed === "") {
    const fix = source.kind === "environment" ? `Set ${source.variable} first, or use --api-key-stdin.` : "Give the secret there, or another way (--api-key-stdin, --api-key-env VAR, --credentials-file F).";
    throw new ByomError(`No secret was found in ${describeSource(source)}: it is ${source.kind === "environment" ? "not set or empty" : "empty"}.`, fix);
  }
  return trimmed;
}

async function readCredentialsFile(path: string, written: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code;
    throw new ByomError(`I can't read the credentials file ${written} (${code === "ENOENT" ? "it does not exist" : code ?? "unreadable"}).`, "Check the path; it is relative to the current folder.");
  }
}

/**
 * The value stored for a provider type, checked by its descriptor (an API key on one line, a
 * Vertex service-account JSON, Bedrock AWS credentials or API key). Messages name the source,
 * never the value.
 */
export function credentialValue(type: ProviderType, raw: string, source: SecretSource): string {
  return asByomError(() => providerDescriptor(type).credential.check(raw, describeSource(source)));
}

/** What list/show may print about a stored secret: at most its last four characters, or the service account's email. */
export function secretHint(type: ProviderType, value: string): string {
  return providerDescriptor(type).credential.hint(value);
}
