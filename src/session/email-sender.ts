import type { SecretStoreOpener } from "../byom/secret-store-access.js";
import type { OutgoingEmail, SentEmail } from "../runtime/email.js";

export interface EmailSenderOptions {
  agent: string;
  workspace: string;
  environment: NodeJS.ProcessEnv;
  openSecretStore?: SecretStoreOpener;
}

/**
 * The run's `sendEmail`: the agent's email settings and password are read, and nodemailer loaded,
 * when the script sends a mail (email-delivery.ts), so a script that sends none starts as fast as before.
 */
export function agentEmailSender(options: EmailSenderOptions): (message: OutgoingEmail) => Promise<SentEmail> {
  return async (message) => (await import("./email-delivery.js")).sendWithAgentSettings(options, message);
}
