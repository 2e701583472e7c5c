import { readAgentConfig, readWorkspaceSettings } from "../byom/config-files.js";
import { ByomError } from "../byom/byom-error.js";
import { emailSecretReference } from "../byom/email-settings.js";
import { openSecretStoreFromFactory, secretStoreSettings } from "../byom/secret-store-access.js";
import { SecretStoreError } from "../byom/secrets/secret-store.js";
import { defaultAgent } from "../byom/workspace.js";
import { redactSecrets } from "../llm/redact-secrets.js";
import { EmailNotSent, type OutgoingEmail, type SentEmail } from "../runtime/email.js";

import type { EmailSenderOptions } from "./email-sender.js";

/** Seconds to connect and to be greeted, and of silence in the middle of a conversation. */
const connectSeconds = 15;
const socketSeconds = 60;

/**
 * Sends one mail with the agent's email settings (`prose byom email add`) and its password from
 * the secret store, over SMTP with nodemailer (loaded here, on the first mail). Every failure is
 * an `EmailNotSent` in English, naming the server; the password is never in one.
 */
export async function sendWithAgentSettings(options: EmailSenderOptions, message: OutgoingEmail): Promise<SentEmail> {
  const agentOption = options.agent === defaultAgent ? "" : ` --agent ${options.agent}`;
  let settings;
  try {
    settings = (await readAgentConfig(options.workspace, options.agent)).email;
  } catch (problem) {
    if (problem instanceof ByomError) throw new EmailNotSent(problem.message, problem.fix);
    throw problem;
  }
  if (settings === undefined) {
    throw new EmailNotSent(
      `The agent "${options.agent}" has no email settings, so I can't send the email.`,
      `fix: add them with \`prose byom email add --host HOST --port PORT --from ADDRESS [--user USER --password-stdin]${agentOption}\`.`,
    );
  }
  const server = `${settings.host}:${settings.port}`;
  let password: string | undefined;
  if (settings.user !== undefined && settings.credentialVersion !== null) {
    try {
      const workspaceSettings = await readWorkspaceSettings(options.workspace);
      const store = await (options.openSecretStore ?? openSecretStoreFromFactory)(secretStoreSettings(options.workspace, workspaceSettings.store), options.environment);
      password = await store.get(emailSecretReference(options.agent, settings.credentialVersion));
    } catch (problem) {
      if (problem instanceof SecretStoreError || problem instanceof ByomError) {
        throw new EmailNotSent(`I can't read the email password of the agent "${options.agent}": ${problem.message}`, `fix: set it again with \`prose byom email add … --user ${settings.user} --password-stdin${agentOption}\`.`);
      }
      throw problem;
    }
  }
  const { createTransport } = await import("nodemailer");
  const loopback = /^(localhost|127(\.\d+){3}|::1|\[::1\])$/i.test(settings.host);
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    // A password never crosses the network in clear: STARTTLS is required for it, except to this machine.
    requireTLS: settings.security === "starttls" || (settings.security === "auto" && password !== undefined && !loopback),
    ...(settings.user !== undefined && password !== undefined ? { auth: { user: settings.user, pass: password } } : {}),
    connectionTimeout: connectSeconds * 1000,
    greetingTimeout: connectSeconds * 1000,
    socketTimeout: socketSeconds * 1000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      attachments: message.attachments.map((attachment) => ({ filename: attachment.filename, content: Buffer.from(attachment.content), ...(attachment.contentType === undefined ? {} : { contentType: attachment.contentType }) })),
    });
    const addresses = (list: unknown): string[] => (Array.isArray(list) ? list.map((item) => (typeof item === "string" ? item : String((item as { address?: string }).address ?? item))) : []);
    return { messageId: String(info.messageId ?? ""), accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
  } catch (problem) {
    throw notSent(problem, server, settings.user, password);
  } finally {
    transport.close();
  }
}

interface MailerProblem {
  code?: string;
  responseCode?: number;
  response?: string;
  rejected?: unknown[];
  message?: string;
}

/** A nodemailer failure in English, naming the server; the password, should the server echo it in any form, is redacted. */
function notSent(problem: unknown, server: string, user: string | undefined, password: string | undefined): EmailNotSent {
  const found = (problem ?? {}) as MailerProblem;
  const clean = (text: string): string => {
    const oneLine = text.replace(/\s+/g, " ").trim().slice(0, 300);
    // Every form a server could echo it in (base64 of AUTH PLAIN's `\0user\0password` too), as for model providers.
    return password === undefined || password === "" ? oneLine : redactSecrets(oneLine, [password]);
  };
  const answer = found.response ? ` (it answered "${clean(found.response)}")` : "";
  const check = "fix: check the settings with `prose byom email show`, and change them with `prose byom email add`.";
  const cause = clean(String(found.message ?? ""));
  switch (found.code) {
    case "ECONNECTION":
    case "ESOCKET":
    case "EDNS":
    case "ETIMEDOUT": {
      const why = /ECONNREFUSED/.test(cause) ? "the connection was refused" : /ENOTFOUND|EAI_AGAIN/.test(cause) || found.code === "EDNS" ? "the host name is not known" : found.code === "ETIMEDOUT" || /timeout/i.test(cause) ? "it did not answer in time" : /wrong version number|ssl|tls/i.test(cause) ? "TLS did not work (a TLS port given without --tls, or the other way round?)" : "the connection failed";
      return new EmailNotSent(`I can't reach the mail server ${server}: ${why}.`, `${check} Is the server running, and is ${server} its address?`);
    }
    case "ETLS":
      // STARTTLS required, and the server did not take it: said as for EREQUIRETLS.
      if (!/upgrading connection with STARTTLS/i.test(cause)) return new EmailNotSent(`TLS with the mail server ${server} failed: ${cause.replace(/\.$/, "")}.`, check);
      return noStartTls(server);
    case "EREQUIRETLS":
      return noStartTls(server);
    case "EAUTH":
      return new EmailNotSent(`The mail server ${server} refused the login of ${user ?? "the agent"}${answer}.`, "fix: set the right user and password with `prose byom email add … --user USER --password-stdin`.");
    case "ENOAUTH":
      return new EmailNotSent(`The mail server ${server} asks for a login, and the email settings have none.`, "fix: add `--user USER --password-stdin` to `prose byom email add`.");
    case "EENVELOPE": {
      const rejected = Array.isArray(found.rejected) && found.rejected.length > 0 ? found.rejected.map(String) : [];
      const whom = rejected.length > 0 ? `the recipient${rejected.length === 1 ? "" : "s"} ${rejected.map((address) => `"${address}"`).join(", ")}` : "the sender or the recipients";
      return new EmailNotSent(`The mail server ${server} refused ${whom}${answer}; nothing was sent.`, "fix: check the addresses.");
    }
    case "EMESSAGE":
      return new EmailNotSent(`The mail server ${server} refused the message${answer}.`, "fix: check its size and attachments, or ask the server's administrator.");
    default:
      return new EmailNotSent(`Sending the email through ${server} failed${answer || (cause === "" ? "" : `: ${cause}`)}.`, check);
  }
}

function noStartTls(server: string): EmailNotSent {
  return new EmailNotSent(`The mail server ${server} does not offer STARTTLS, and the settings require it (\`--starttls\`, or a password sent to another machine): nothing was sent.`, "fix: use the server's TLS port (`prose byom email add … --tls --port 465`), or a server that offers STARTTLS.");
}
