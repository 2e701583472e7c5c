import { redactSecrets } from "../../llm/redact-secrets.js";
import { SecretStoreError } from "./secret-store.js";

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
  /** `https://…` or `region eu-west-1`. */
  service: string;
  /** The value being stored, kept out of any message the service sends back. */
  secretValue?: string;
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

/** Turns an @aws-sdk/client-ssm failure into a `SecretStoreError` whose message never holds a secret. */
export function ssmStoreError(error: unknown, context: SsmErrorContext): SecretStoreError {
  if (error instanceof SecretStoreError) return error;
  const shape = (error ?? {}) as AwsErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const status = typeof shape.$metadata?.httpStatusCode === "number" ? shape.$metadata.httpStatusCode : undefined;
  const networkCode = networkCodeOf(shape);

  if (name === "ParameterNotFound") {
    return new SecretStoreError("not-found", `No secret is stored in AWS SSM for ${context.what} (parameter ${context.parameter}).`);
  }
  if (name === "ParameterAlreadyExists") {
    return new SecretStoreError(
      "invalid",
      `A secret for ${context.what} already exists in AWS SSM (parameter ${context.parameter}); a new value needs a new version (rotate the provider).`,
    );
  }
  if (name === "CredentialsProviderError") {
    return new SecretStoreError(
      "denied",
      `No AWS credentials were found to ${context.action} ${context.what} in AWS SSM: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an IAM role provides them.`,
    );
  }
  if (deniedNames.has(name) || status === 401 || status === 403) {
    const detail = serviceMessage(shape, context.secretValue);
    return new SecretStoreError(
      "denied",
      `AWS SSM refused to ${context.action} ${context.what} (${name}${detail === undefined ? "" : `: ${detail}`}). Check the AWS credentials, and that their IAM policy allows ssm:${context.operation} on ${context.parameter}${context.operation === "GetParametersByPath" || context.operation === "DeleteParameter" ? "" : " and the KMS key's use"}.`,
    );
  }
  if (name === "InvalidKeyId" || name === "KMSNotFoundException" || name === "KMSInvalidStateException" || name === "KMSDisabledException") {
    return new SecretStoreError("invalid", `AWS SSM could not use the KMS key to ${context.action} ${context.what} (${name}). Check the kmsKeyId setting and that the key is enabled.`);
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
    return new SecretStoreError("unavailable", `AWS SSM (${context.service}) is unavailable: ${reason}. Could not ${context.action} ${context.what}; try again later.`);
  }
  if (name === "ValidationException" && context.secretValue !== undefined && context.secretValue.length > 4096) {
    return new SecretStoreError("invalid", `AWS SSM refused to ${context.action} ${context.what}: the value is longer than the 4096 characters a standard parameter holds.`);
  }
  if (status !== undefined && status >= 400) {
    return new SecretStoreError("invalid", `AWS SSM rejected the request to ${context.action} ${context.what} (parameter ${context.parameter}): ${name}, HTTP ${status}.`);
  }
  return new SecretStoreError("unavailable", `AWS SSM (${context.service}) could not be reached to ${context.action} ${context.what} (${name}); try again later.`);
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
  if (typeof shape.message !== "string" || shape.message.trim() === "" || shape.message === "UnknownError") return undefined;
  const message = redactSecrets(shape.message, secretValue === undefined ? [] : [secretValue]).trim().replace(/\s+/g, " ");
  return message.length > 400 ? `${message.slice(0, 400)}…` : message;
}
