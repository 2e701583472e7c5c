import { readFile } from "node:fs/promises";
import { type ProviderDescriptor, ProviderSetupError, type SettingsSpec } from "../provider-descriptor.js";
import { adapterBasics, isSet, nonEmpty, optional, optionalBaseUrl, parseJsonObject, storedJson } from "../provider-setup.js";
import { geminiModels } from "./gemini-descriptor.js";
import { defaultVertexLocation, missingCredentialField, type ServiceAccountCredentials } from "./vertex-auth.js";

const keyFix =
  "Create a key for the service account (Google Cloud console → IAM → Service accounts → Keys → Add key → JSON) and give that file with --credentials-file; the account needs the role roles/aiplatform.user.";

/** Gemini models on Vertex AI, through a service account's JSON key. */
const settings = { projectId: { kind: "text" }, location: { kind: "text" }, baseUrl: { kind: "url", optional: true } } as const satisfies SettingsSpec;

export const vertexDescriptor: ProviderDescriptor<"vertex", typeof settings> = {
  type: "vertex",
  displayName: "Vertex AI",
  automatic: true,
  models: { default: "gemini-2.5-flash", known: geminiModels, hint: "the model id", example: "gemini-2.5-flash" },
  blockLine: { line: "vertex model", placeholder: "…" },
  settings,
  addOptions: {
    projectId: { flag: "--project-id <project>", help: "the Google Cloud project (default: the JSON's project_id)" },
    location: { flag: "--location <location>", help: `the region (default ${defaultVertexLocation})` },
    baseUrl: { flag: "--base-url <url>", help: "another API URL" },
  },
  settingsFrom(options, { secret }) {
    const baseUrl = optionalBaseUrl(options);
    const fromKey = secret === undefined ? undefined : parseJsonObject(secret)?.project_id;
    const projectId = options.projectId ?? (typeof fromKey === "string" ? fromKey : undefined);
    if (projectId === undefined) throw new ProviderSetupError("A vertex provider needs --project-id: the service-account JSON names no project_id.", "Give the Google Cloud project, for example --project-id my-project.");
    return { projectId, location: options.location ?? defaultVertexLocation, ...baseUrl };
  },
  addExample: "--credentials-file service-account.json --project-id PROJECT",
  urlExample: "https://…",
  credential: {
    required: true,
    noun: "a service-account JSON key",
    options: "--credentials-file service-account.json",
    name: "service-account credentials",
    check(raw, from) {
      const parsed = parseJsonObject(raw);
      if (parsed === undefined) throw new ProviderSetupError(`The Vertex AI credentials from ${from} are not a service-account JSON key.`, keyFix);
      const missing = missingCredentialField(parsed);
      if (missing !== undefined) throw new ProviderSetupError(`The Vertex AI service-account JSON from ${from} has no "${missing}".`, keyFix);
      return JSON.stringify(parsed);
    },
    hint(stored) {
      const email = parseJsonObject(stored)?.client_email;
      return typeof email === "string" ? email : "(set)";
    },
    absent: "(none)",
    secretFields: ["private_key", "private_key_id"],
  },
  errorHints: { permission: " (the service account needs the role roles/aiplatform.user)" },
  environment: {
    fix: "Vertex AI is not configured: set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file and GOOGLE_CLOUD_PROJECT, or add a provider with `prose byom add vertex --credentials-file F --project-id P`",
    isConfigured: (environment) => isSet(environment, "GOOGLE_APPLICATION_CREDENTIALS"),
    async read(environment, fail) {
      const credentials = await serviceAccount(nonEmpty(environment.GOOGLE_APPLICATION_CREDENTIALS) ?? fail("GOOGLE_APPLICATION_CREDENTIALS is not set"), fail);
      const projectId = nonEmpty(environment.GOOGLE_CLOUD_PROJECT) ?? credentials.project_id ?? fail("GOOGLE_CLOUD_PROJECT is not set");
      const location = nonEmpty(environment.GOOGLE_CLOUD_LOCATION) ?? defaultVertexLocation;
      return { secret: JSON.stringify(credentials), settings: { projectId, location, ...optional("baseUrl", environment.GOOGLE_VERTEX_BASE_URL) } };
    },
  },
  async create(input) {
    const { GoogleLanguageModel } = await import("./google-language-model.js");
    const { projectId, location, baseUrl } = input.settings;
    const credentials = storedJson(input.secret, "vertex", input.providerId) as ServiceAccountCredentials;
    return new GoogleLanguageModel({ ...adapterBasics(input), providerType: "vertex", credentials, project: projectId, location, ...(baseUrl === undefined ? {} : { baseUrl }) });
  },
};

async function serviceAccount(path: string, fail: (detail: string) => never): Promise<ServiceAccountCredentials> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const reason = (error as { code?: string }).code === "ENOENT" ? "it does not exist" : error instanceof SyntaxError ? "it is not JSON" : "it cannot be read";
    return fail(`GOOGLE_APPLICATION_CREDENTIALS names ${path}, but ${reason}`);
  }
  const credentials = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Partial<ServiceAccountCredentials>;
  const missing = missingCredentialField(credentials);
  if (missing !== undefined) return fail(`${path} is not a service-account key file: it has no "${missing}"`);
  return credentials as ServiceAccountCredentials;
}
