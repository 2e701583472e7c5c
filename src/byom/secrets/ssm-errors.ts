import { redactSecrets } from "../../llm/redact-secrets.js";
import { type AwsProfileFiles, hasAwsProfile } from "./aws-profiles.js";
import { type SecretReference, SecretStoreError } from "./secret-store.js";

/** What the store was doing, for messages. */
export interface SsmErrorContext {
  /** "store", "read", "list" or "delete". */
  action: string;
  /** `provider "x" version 2 of agent "a"`, or `the secrets of agent "a"`. */
  what: string;
  /** The parameter name or path. */
  parameter: string;
  /** The SSM operation, e.g. "GetParameter", for the IAM action it needs. */
  operation: string;
  /** `region eu-west-1` or `region eu-west-1, endpoint https://…`. */
  service: string;
  /** Whether the store was given an endpoint of its own (else the region's AWS endpoint). */
  customEndpoint: boolean;
  /** The version read, stored or deleted (not for a listing). */
  reference?: SecretReference;
  /** The value being stored, kept out of any message the service sends back. */
  secretValue?: string;
  /** The profile of the shared AWS files the credentials come from (AWS_PROFILE), and where those files are. */
  profile?: { name: string; files?: AwsProfileFiles };
}

interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

const deniedNames = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "ExpiredTokenException",
  "ExpiredToken",
  "InvalidClientTokenId",
  "MissingAuthenticationTokenException",
  "IncompleteSignature",
  "KMSAccessDeniedException",
]);

const unavailableNames = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyUpdates",
  "RequestLimitExceeded",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "KMSThrottlingException",
]);

const networkReasons: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was cut",
  EPIPE: "the connection was cut",
  ECONNABORTED: "the connection was cut",
  ETIMEDOUT: "it did not answer in time",
  ESOCKETTIMEDOUT: "it did not answer in time",
  ENOTFOUND: "its host name does not resolve",
  EAI_AGAIN: "its host name does not resolve",
  EHOSTUNREACH: "its host cannot be reached",
  ENETUNREACH: "the network cannot be reached",
  UND_ERR_SOCKET: "the connection was cut",
};

/** Network errors that say nothing answers at that address. */
const unreachableCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Turns an @aws-sdk/client-ssm failure into a `SecretStoreError` whose message never holds a secret. */
export function ssmStoreError(error: unknown, context: SsmErrorContext): SecretStoreError {
  if (error instanceof SecretStoreError) return error;
  const shape = (error ?? {}) as AwsErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const status = typeof shape.$metadata?.httpStatusCode === "number" ? shape.$metadata.httpStatusCode : undefined;
  const networkCode = networkCodeOf(shape);

  if (name === "ParameterNotFound") {
    return new SecretStoreError("not-found", notFoundMessage(context));
  }
  if (name === "ParameterAlreadyExists") {
    return new SecretStoreError(
      "invalid",
      `A secret for ${context.what} already exists in AWS SSM (${context.service}, parameter ${context.parameter}); a new value needs a new version (rotate the provider).`,
    );
  }
  if (name === "CredentialsProviderError") return noCredentialsError(context);
  // A 5xx or 429 page (a load balancer's) says the service is down or busy: that is reported below.
  if (isNotSsmAnswer(shape) && (status === undefined || (status < 500 && status !== 429))) {
    return new SecretStoreError("unavailable", notSsmMessage(context, status, shape));
  }
  if (deniedNames.has(name) || status === 401 || status === 403) {
    const detail = serviceMessage(shape, context.secretValue);
    return new SecretStoreError(
      "denied",
      `AWS SSM (${context.service}) refused to ${context.action} ${context.what} (${name}${detail === undefined ? "" : `: ${detail}`}). Check the AWS credentials, and that their IAM policy allows ssm:${context.operation} on ${context.parameter}${context.operation === "GetParametersByPath" || context.operation === "DeleteParameter" ? "" : " and the KMS key's use"}.`,
    );
  }
  if (name === "InvalidKeyId" || name === "KMSNotFoundException" || name === "KMSInvalidStateException" || name === "KMSDisabledException") {
    return new SecretStoreError("invalid", `AWS SSM (${context.service}) could not use the KMS key to ${context.action} ${context.what} (${name}). Check the kmsKeyId setting and that the key is enabled.`);
  }
  if (networkCode !== undefined || unavailableNames.has(name) || shape.$retryable !== undefined || status === 429 || (status !== undefined && status >= 500) || shape.$fault === "server") {
    const reason =
      networkCode !== undefined
        ? (networkReasons[networkCode] ?? `network error ${networkCode}`)
        : name === "TimeoutError" || name === "RequestTimeout" || name === "RequestTimeoutException"
          ? "it did not answer in time"
          : name.includes("Throttl") || name === "TooManyUpdates" || name === "RequestLimitExceeded" || status === 429
            ? "it is throttling requests"
            : `it answered ${status === undefined ? name : `HTTP ${status}${shape.$fault === undefined || name === "Error" || name === "SSMServiceException" ? "" : ` ${name}`}`}`;
    // Nothing listens there, or the name does not resolve: the address is more likely wrong than the service down.
    const unreachable = networkCode !== undefined && unreachableCodes.has(networkCode);
    const fix = !unreachable
      ? "try again later"
      : context.customEndpoint
        ? "check that the endpoint is right and reachable from here (`prose byom store` shows it), then try again"
        : "check the region and the network (or proxy) between here and AWS, then try again";
    return new SecretStoreError("unavailable", `AWS SSM (${context.service}) is unavailable: ${reason}. Could not ${context.action} ${context.what}; ${fix}.`);
  }
  if (name === "ValidationException" && context.secretValue !== undefined && context.secretValue.length > 4096) {
    return new SecretStoreError("invalid", `AWS SSM (${context.service}) refused to ${context.action} ${context.what}: the value is longer than the 4096 characters a standard parameter holds.`);
  }
  if (status !== undefined && status >= 400) {
    return new SecretStoreError("invalid", `AWS SSM (${context.service}) rejected the request to ${context.action} ${context.what} (parameter ${context.parameter}): ${name}, HTTP ${status}.`);
  }
  return new SecretStoreError("unavailable", `AWS SSM (${context.service}) could not be reached to ${context.action} ${context.what} (${name}); try again later.`);
}

/** Which version is missing, where, and the two ways out: the settings it was stored with, or storing it again. */
function notFoundMessage(context: SsmErrorContext): string {
  const reference = context.reference;
  const again =
    reference === undefined
      ? ""
      : `, or store it again with \`prose byom rotate ${reference.providerId}${reference.agent === "default" ? "" : ` --agent ${reference.agent}`}\``;
  return (
    `No secret is stored in AWS SSM (${context.service}) for ${context.what}: parameter ${context.parameter} does not exist. ` +
    `Check that the store settings (\`prose byom store\` shows the region, prefix and endpoint) and the AWS account are the ones it was stored with${again}.`
  );
}

/**
 * No credentials: from the profile AWS_PROFILE names (missing from the files, or giving none), or
 * from nowhere. The SDK's own words (a `TypeError` for an SSO profile without its session) are
 * not shown.
 */
export function noCredentialsError(context: SsmErrorContext): SecretStoreError {
  return new SecretStoreError("denied", noCredentialsMessage(context));
}

function noCredentialsMessage(context: SsmErrorContext): string {
  const task = `${context.action} ${context.what} in AWS SSM (${context.service})`;
  const profile = context.profile;
  if (profile === undefined) {
    return `No AWS credentials were found to ${task}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to a profile of the shared AWS config files, or run where an IAM role provides them.`;
  }
  const quoted = JSON.stringify(profile.name);
  if (profile.files !== undefined && !hasAwsProfile(profile.name, profile.files)) {
    return (
      `The AWS profile ${quoted} named in AWS_PROFILE is not in ${profile.files.config} or ${profile.files.credentials}, so there are no AWS credentials to ${task}. ` +
      `Add the profile (\`aws configure --profile ${profile.name}\`), set AWS_PROFILE to a profile that exists, or unset AWS_PROFILE and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`
    );
  }
  return (
    `The AWS profile ${quoted} named in AWS_PROFILE gave no credentials to ${task}. ` +
    `Check its settings${profile.files === undefined ? "" : ` in ${profile.files.config}`}; for an SSO profile, sign in with \`aws sso login --profile ${profile.name}\`.`
  );
}

/**
 * An answer the SDK could not read as SSM's JSON: a web page, a proxy's or a load balancer's
 * answer. The SDK's own words for it ("SyntaxError: Unexpected token '<' … inspect the hidden
 * field {error}.$response") are never shown.
 */
function isNotSsmAnswer(shape: AwsErrorShape): boolean {
  return shape.name === "SyntaxError" || (typeof shape.message === "string" && shape.message.includes("Deserialization error"));
}

function notSsmMessage(context: SsmErrorContext, status: number | undefined, shape: AwsErrorShape): string {
  const contentType = contentTypeOf(shape);
  const answer = [status === undefined ? undefined : `HTTP ${status}`, contentType].filter((part) => part !== undefined).join(", ");
  const check = context.customEndpoint
    ? "Check the endpoint (`prose byom store aws-ssm --endpoint URL` sets it; without it, the region's AWS endpoint is used) and any proxy settings (HTTPS_PROXY)"
    : "Check the region and any proxy settings (HTTPS_PROXY) between here and AWS";
  return `AWS SSM (${context.service}) answered something that is not SSM${answer === "" ? "" : ` (${answer})`} when asked to ${context.action} ${context.what}: the address is not an SSM endpoint, or something else answered in its place. ${check}.`;
}

/** The answer's media type ("text/html"), when the SDK kept the raw response. */
function contentTypeOf(shape: AwsErrorShape): string | undefined {
  const headers = (shape as { $response?: { headers?: Record<string, unknown> } }).$response?.headers;
  const value = headers?.["content-type"] ?? headers?.["Content-Type"];
  if (typeof value !== "string") return undefined;
  const type = value.split(";")[0]?.trim().toLowerCase();
  return type !== undefined && /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type) ? type : undefined;
}

/** A Node network error code (ECONNREFUSED, …) on the error or its causes. */
function networkCodeOf(shape: AwsErrorShape): string | undefined {
  let current: AwsErrorShape | undefined = shape;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (typeof current.code === "string" && (current.code in networkReasons || /^E[A-Z_]+$/.test(current.code))) return current.code;
    if (current.message === "socket hang up") return "ECONNRESET";
    current = current.cause as AwsErrorShape | undefined;
  }
  return undefined;
}

/** The service's own message, shortened, with the value being stored redacted in any form it may echo. */
function serviceMessage(shape: AwsErrorShape, secretValue: string | undefined): string | undefined {
  if (typeof shape.message !== "string" || shape.message.trim() === "" || shape.message === "UnknownError" || shape.message.includes("Deserialization error")) return undefined;
  const message = redactSecrets(shape.message, secretValue === undefined ? [] : [secretValue]).trim().replace(/\s+/g, " ");
  return message.length > 400 ? `${message.slice(0, 400)}…` : message;
}
