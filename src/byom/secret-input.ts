import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ProviderType } from "../llm/language-model.js";
import { missingCredentialField } from "../llm/google/vertex-auth.js";
import { ByomError } from "./byom-error.js";
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
 * The value stored for a provider type, checked: an API key as one line; a Vertex service-account
 * JSON that holds `client_email` and `private_key`; Bedrock AWS credentials as
 * `{"accessKeyId","secretAccessKey","sessionToken"?}` (also the AWS CLI's spellings) or a Bedrock
 * API key, stored as `{"apiKey"}`. Messages name the source, never the value.
 */
export function credentialValue(type: ProviderType, raw: string, source: SecretSource): string {
  const from = describeSource(source);
  if (type === "vertex") return vertexCredential(raw, from);
  if (type === "bedrock") return bedrockCredential(raw, from);
  if (/[\r\n]/.test(raw)) throw new ByomError(`The API key read from ${from} spans several lines.`, "Give the key alone, on one line.");
  return raw;
}

function vertexCredential(raw: string, from: string): string {
  const fix = "Create a key for the service account (Google Cloud console → IAM → Service accounts → Keys → Add key → JSON) and give that file with --credentials-file; the account needs the role roles/aiplatform.user.";
  const parsed = parseJsonObject(raw);
  if (parsed === undefined) throw new ByomError(`The Vertex AI credentials from ${from} are not a service-account JSON key.`, fix);
  const missing = missingCredentialField(parsed);
  if (missing !== undefined) throw new ByomError(`The Vertex AI service-account JSON from ${from} has no "${missing}".`, fix);
  return JSON.stringify(parsed);
}

function bedrockCredential(raw: string, from: string): string {
  const parsed = parseJsonObject(raw);
  if (parsed === undefined) {
    if (/[\s{}"]/.test(raw)) throw new ByomError(`The Bedrock credentials from ${from} are neither AWS credentials JSON nor a Bedrock API key.`, bedrockFix);
    return JSON.stringify({ apiKey: raw });
  }
  const source = (typeof parsed.Credentials === "object" && parsed.Credentials !== null ? parsed.Credentials : parsed) as Record<string, unknown>;
  const pick = (...names: string[]) => names.map((name) => source[name]).find((value): value is string => typeof value === "string" && value !== "");
  const accessKeyId = pick("accessKeyId", "AccessKeyId", "aws_access_key_id");
  const secretAccessKey = pick("secretAccessKey", "SecretAccessKey", "aws_secret_access_key");
  const sessionToken = pick("sessionToken", "SessionToken", "aws_session_token");
  const apiKey = pick("apiKey");
  if (apiKey !== undefined) return JSON.stringify({ apiKey });
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new ByomError(`The Bedrock credentials JSON from ${from} has no ${accessKeyId === undefined ? '"accessKeyId"' : '"secretAccessKey"'}.`, bedrockFix);
  }
  return JSON.stringify({ accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) });
}

const bedrockFix = 'Give {"accessKeyId": "…", "secretAccessKey": "…", "sessionToken": "…"} (the session token only for temporary credentials) in a file with --credentials-file, or a Bedrock API key with --api-key-stdin.';

function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  if (!raw.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What list/show may print about a stored secret: at most its last four characters, or the service account's email. */
export function secretHint(type: ProviderType, value: string): string {
  const ending = (secret: string) => (secret.length >= 12 ? `…${secret.slice(-4)}` : "(set)");
  if (type === "vertex") {
    const email = parseJsonObject(value)?.client_email;
    return typeof email === "string" ? email : "(set)";
  }
  if (type === "bedrock") {
    const parsed = parseJsonObject(value) ?? {};
    if (typeof parsed.apiKey === "string") return `API key ${ending(parsed.apiKey)}`;
    return typeof parsed.accessKeyId === "string" ? `access key ${ending(parsed.accessKeyId)}` : "(set)";
  }
  return ending(value);
}
