import { stat } from "node:fs/promises";
import { ByomError } from "./byom-error.js";
import { readAgentConfig, updateAgentConfig } from "./config-files.js";
import type { EmailSettings } from "./config-schema.js";
import type { SecretReference, SecretStore } from "./secrets/secret-store.js";
import { changeOf, type WorkspaceChange } from "./workspace-lock.js";
import { agentFile } from "./workspace.js";

/** The email password's place in the secret store: beside the agent's providers, under the id `email` (no provider id is a bare type word). */
export const emailSecretId = "email";

export function emailSecretReference(agent: string, version: number): SecretReference {
  return { agent, providerId: emailSecretId, version };
}

/** What `prose byom email add` was given, checked. */
export interface EmailOptions {
  host: string;
  port: number;
  from: string;
  security: EmailSettings["security"];
  user?: string;
}

export interface EmailContext {
  workspace: string;
  agent: string;
  store(): Promise<SecretStore>;
  now?: () => Date;
  change?: WorkspaceChange;
}

/** `--host`, `--port`, `--from`, `--tls`/`--starttls` as typed: checked, with English messages naming the option. */
export function checkEmailOptions(given: { host?: string; port?: string; from?: string; user?: string; tls?: boolean; starttls?: boolean }): EmailOptions {
  const fix = "For example: prose byom email add --host smtp.example.com --port 587 --from robot@example.com --user robot@example.com --password-stdin";
  if (given.host === undefined || given.host.trim() === "") throw new ByomError("`prose byom email add` needs --host, the mail server's name.", fix);
  const host = given.host.trim();
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) throw new ByomError(`--host "${host}" is not a host name or IP address.`, fix);
  if (given.from === undefined) throw new ByomError("`prose byom email add` needs --from, the address the mail comes from.", fix);
  const from = given.from.trim();
  if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(from)) throw new ByomError(`--from "${from}" is not an email address.`, "Give one address, such as --from robot@example.com.");
  if (given.tls === true && given.starttls === true) throw new ByomError("Give --tls or --starttls, not both.", "--tls: implicit TLS (usually port 465); --starttls: the server must offer STARTTLS (usually port 587).");
  const security: EmailSettings["security"] = given.tls === true ? "tls" : given.starttls === true ? "starttls" : "auto";
  let port: number;
  if (given.port === undefined) port = security === "tls" ? 465 : 587;
  else {
    port = Number(given.port);
    if (!/^\d+$/.test(given.port.trim()) || !Number.isInteger(port) || port < 1 || port > 65535) throw new ByomError(`--port "${given.port}" is not a port number (1 to 65535).`, "Usually 587 (STARTTLS), 465 (--tls) or 25.");
  }
  // Port 465 speaks TLS from the first byte: a plain connection there would hang until it times out.
  const chosen = security === "auto" && port === 465 ? "tls" : security;
  const user = given.user?.trim();
  return { host, port, from, security: chosen, ...(user === undefined || user === "" ? {} : { user }) };
}

/**
 * `prose byom email add`: holding the workspace lock, stores the password (when a user is given)
 * as the next version, writes the settings into the agent file (atomically), then deletes the
 * older password versions. A kill in between leaves a version no file names, which the next
 * command removes (workspace-tidy.ts).
 */
export async function setEmailSettings(context: EmailContext, options: EmailOptions, password: string | undefined): Promise<{ settings: EmailSettings; replaced: boolean }> {
  if (options.user !== undefined && password === undefined) {
    throw new ByomError(`--user ${options.user} needs its password.`, "Give it with --password-stdin or --password-env VAR (never as an argument: it would show in `ps` and in the shell history).");
  }
  if (options.user === undefined && password !== undefined) throw new ByomError("A password was given without --user.", "Give the login name with --user, or leave the password out for a server that takes mail without AUTH.");
  const store = password === undefined ? undefined : await context.store();
  return changeOf(context, context.workspace)("byom email add", async () => {
    if (!(await stat(agentFile(context.workspace, context.agent)).then(() => true, () => false))) {
      await updateAgentConfig(context.workspace, context.agent, () => undefined);
    }
    const before = (await readAgentConfig(context.workspace, context.agent)).email;
    const stored = store === undefined ? [] : await store.list(context.agent, emailSecretId);
    const version = password === undefined ? null : Math.max(0, before?.credentialVersion ?? 0, ...stored.map((reference) => reference.version)) + 1;
    if (store !== undefined && version !== null && password !== undefined) await store.put(emailSecretReference(context.agent, version), password);
    const settings: EmailSettings = {
      host: options.host,
      port: options.port,
      from: options.from,
      security: options.security,
      ...(options.user === undefined ? {} : { user: options.user }),
      credentialVersion: version,
      updatedAt: (context.now?.() ?? new Date()).toISOString(),
    };
    try {
      await updateAgentConfig(context.workspace, context.agent, (config) => {
        config.email = settings;
      });
    } catch (problem) {
      if (store !== undefined && version !== null) await store.delete(emailSecretReference(context.agent, version));
      throw problem;
    }
    // The older passwords go once the new settings are saved; one left behind is removed by the next command.
    const older = before?.credentialVersion ?? null;
    if (older !== null && older !== version) {
      const oldStore = store ?? (await context.store());
      await oldStore.delete(emailSecretReference(context.agent, older)).catch(() => undefined);
    }
    return { settings, replaced: before !== undefined };
  });
}

/** `prose byom email remove`: the password versions first, then the settings; run again when the store refuses. */
export async function removeEmailSettings(context: EmailContext): Promise<{ removed: boolean; deletedSecretVersions: number }> {
  return changeOf(context, context.workspace)("byom email remove", async () => {
    const config = await readAgentConfig(context.workspace, context.agent);
    const email = config.email;
    if (email === undefined) return { removed: false, deletedSecretVersions: 0 };
    let deleted = 0;
    if (email.credentialVersion !== null) {
      const store = await context.store();
      const versions = (await store.list(context.agent, emailSecretId)).map((reference) => reference.version);
      // The active version last: until it goes, the settings still work.
      const ordered = [...versions.filter((version) => version !== email.credentialVersion), email.credentialVersion];
      for (const version of ordered) await store.delete(emailSecretReference(context.agent, version));
      deleted = ordered.length;
    }
    await updateAgentConfig(context.workspace, context.agent, (changed) => {
      delete changed.email;
    });
    return { removed: true, deletedSecretVersions: deleted };
  });
}

/** `smtp.example.com:587, STARTTLS when offered, from robot@example.com, user robot@example.com`, for messages. */
export function describeSecurity(security: EmailSettings["security"]): string {
  if (security === "tls") return "implicit TLS";
  if (security === "starttls") return "STARTTLS required";
  return "STARTTLS when the server offers it";
}
