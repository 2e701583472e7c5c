import { type ProviderDescriptor, ProviderSetupError, type SettingsSpec } from "../provider-descriptor.js";
import { checkedHttpUrl, isSet, lastFour, nonEmpty, optional, parseJsonObject, storedJson } from "../provider-setup.js";

const credentialFix =
  'Give {"accessKeyId": "…", "secretAccessKey": "…", "sessionToken": "…"} (the session token only for temporary credentials) in a file with --credentials-file, or a Bedrock API key with --api-key-stdin.';

/** The Bedrock Converse API, with AWS signing credentials, a Bedrock API key, or the AWS default chain. */
const settings = { region: { kind: "text" }, endpoint: { kind: "url", optional: true } } as const satisfies SettingsSpec;

export const bedrockDescriptor: ProviderDescriptor<"bedrock", typeof settings> = {
  type: "bedrock",
  displayName: "Bedrock",
  automatic: false,
  models: {
    known: [
      "anthropic.claude-3-5-haiku-20241022-v1:0",
      "anthropic.claude-3-7-sonnet-20250219-v1:0",
      "anthropic.claude-sonnet-4-20250514-v1:0",
      "amazon.nova-micro-v1:0",
      "amazon.nova-lite-v1:0",
      "amazon.nova-pro-v1:0",
      "meta.llama3-3-70b-instruct-v1:0",
      "mistral.mistral-large-2407-v1:0",
    ],
    /** A cross-region inference profile (`us.`, `eu.`, `apac.`, `global.` before the model id) is its model. */
    listedAs: (model) => model.replace(/^(us|eu|apac|global|us-gov)\./, ""),
    hint: "the model id or inference profile id",
    example: "amazon.nova-lite-v1:0",
  },
  blockLine: { line: "bedrock model", placeholder: "…" },
  settings,
  addOptions: {
    region: { flag: "--region <region>", help: "the AWS region" },
    endpoint: { flag: "--endpoint <url>", help: "another endpoint" },
  },
  settingsFrom(options) {
    if (options.region === undefined) throw new ProviderSetupError("A bedrock provider needs --region, the AWS region of its models.", "For example --region us-east-1.");
    return { region: options.region, ...(options.endpoint === undefined ? {} : { endpoint: checkedHttpUrl(options.endpoint, "--endpoint", "https://…") }) };
  },
  addExample: "--region REGION --model MODEL --credentials-file aws-credentials.json",
  urlExample: "https://…",
  credential: {
    required: false,
    noun: "AWS credentials",
    options: "--credentials-file F or --api-key-stdin",
    name: "AWS credentials",
    check: bedrockCredential,
    hint(stored) {
      const parsed = parseJsonObject(stored) ?? {};
      if (typeof parsed.apiKey === "string") return `API key ${lastFour(parsed.apiKey)}`;
      return typeof parsed.accessKeyId === "string" ? `access key ${lastFour(parsed.accessKeyId)}` : "(set)";
    },
    absent: "(AWS default chain)",
    secretFields: ["apiKey", "secretAccessKey", "sessionToken"],
  },
  environment: {
    fix: "Bedrock is not configured: set AWS_REGION and AWS credentials, or add a provider with `prose byom add bedrock --region R --credentials-file F`",
    isConfigured: (environment) => isSet(environment, "AWS_REGION", "AWS_DEFAULT_REGION"),
    async read(environment, fail) {
      const region = nonEmpty(environment.AWS_REGION) ?? nonEmpty(environment.AWS_DEFAULT_REGION) ?? fail("AWS_REGION is not set");
      const accessKeyId = nonEmpty(environment.AWS_ACCESS_KEY_ID);
      const secretAccessKey = nonEmpty(environment.AWS_SECRET_ACCESS_KEY);
      const credential = {
        ...optional("apiKey", environment.AWS_BEARER_TOKEN_BEDROCK),
        ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey, ...optional("sessionToken", environment.AWS_SESSION_TOKEN) } : {}),
      };
      return {
        settings: { region, ...optional("endpoint", environment.AWS_ENDPOINT_URL_BEDROCK_RUNTIME) },
        ...(Object.keys(credential).length === 0 ? {} : { secret: JSON.stringify(credential) }),
      };
    },
  },
  async create(input) {
    const { BedrockLanguageModel } = await import("./bedrock-language-model.js");
    const { region, endpoint } = input.settings;
    const credential = storedJson(input.secret, "bedrock", input.providerId) as { apiKey?: string; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string };
    return new BedrockLanguageModel({
      providerId: input.providerId,
      model: input.model,
      ...(input.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: input.maxAnswerBytes }),
      ...(input.reasoning === undefined ? {} : { reasoning: input.reasoning }),
      ...(input.noTraining === undefined ? {} : { noTraining: input.noTraining }),
      region,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(credential.apiKey === undefined ? {} : { apiKey: credential.apiKey }),
      ...(credential.accessKeyId !== undefined && credential.secretAccessKey !== undefined
        ? { credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, ...(credential.sessionToken === undefined ? {} : { sessionToken: credential.sessionToken }) } }
        : {}),
    });
  },
};

/**
 * AWS credentials as `{"accessKeyId","secretAccessKey","sessionToken"?}` (also the AWS CLI's
 * spellings, and `aws sts` output's `Credentials`), or a Bedrock API key, stored as `{"apiKey"}`.
 */
function bedrockCredential(raw: string, from: string): string {
  const parsed = parseJsonObject(raw);
  if (parsed === undefined) {
    if (/[\s{}"]/.test(raw)) throw new ProviderSetupError(`The Bedrock credentials from ${from} are neither AWS credentials JSON nor a Bedrock API key.`, credentialFix);
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
    throw new ProviderSetupError(`The Bedrock credentials JSON from ${from} has no ${accessKeyId === undefined ? '"accessKeyId"' : '"secretAccessKey"'}.`, credentialFix);
  }
  return JSON.stringify({ accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) });
}
