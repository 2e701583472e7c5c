import { SecretStoreError } from "./secret-store.js";
import type { SecretReference } from "./secret-store.js";

export const defaultSsmPrefix = "/prose";

const segmentPattern = /^[A-Za-z0-9_.-]+$/;
const versionPattern = /^[1-9][0-9]{0,15}$/;

/**
 * The parameter prefix in its canonical form: starts with "/", no trailing "/" ("" for the root),
 * segments of letters, digits, "_", "." and "-", not starting with the reserved "aws" or "ssm".
 */
export function normalizePrefix(prefix: string | undefined): string {
  const given = prefix ?? defaultSsmPrefix;
  const trimmed = given.replace(/\/+$/, "");
  const segments = trimmed.split("/").slice(1);
  const problem =
    !given.startsWith("/")
      ? "it must start with /"
      : segments.some((segment) => !segmentPattern.test(segment))
        ? "it may hold only letters, digits, _ . - and single / between them"
        : /^\/(aws|ssm)/i.test(trimmed)
          ? "parameter names starting with aws or ssm are reserved by AWS"
          : segments.length > 11 || trimmed.length > 500
            ? "it is too deep or too long for an SSM parameter hierarchy"
            : undefined;
  if (problem !== undefined) {
    throw new SecretStoreError("invalid", `The SSM parameter prefix ${JSON.stringify(given.slice(0, 100))} cannot be used: ${problem} (for example /prose).`);
  }
  return trimmed;
}

/** `<prefix>/<agent>/<provider id>/<version>`. */
export function parameterName(prefix: string, reference: SecretReference): string {
  return `${prefix}/${reference.agent}/${reference.providerId}/${reference.version}`;
}

/** `<prefix>/<agent>` or `<prefix>/<agent>/<provider id>`, for GetParametersByPath. */
export function parameterPath(prefix: string, agent: string, providerId?: string): string {
  return providerId === undefined ? `${prefix}/${agent}` : `${prefix}/${agent}/${providerId}`;
}

/** The reference a parameter name stands for, or undefined for names this store did not write. */
export function referenceOfName(prefix: string, name: string): SecretReference | undefined {
  if (!name.startsWith(`${prefix}/`)) return undefined;
  const parts = name.slice(prefix.length + 1).split("/");
  if (parts.length !== 3) return undefined;
  const [agent = "", providerId = "", version = ""] = parts;
  if (!segmentPattern.test(agent) || !segmentPattern.test(providerId) || !versionPattern.test(version)) return undefined;
  return { agent, providerId, version: Number(version) };
}
