import { createHash } from "node:crypto";
import type { OutgoingEmail, SentEmail } from "./email.js";
import { fingerprint, type Journal } from "./journal.js";
import type { StepSource } from "./journaled-context.js";

/**
 * What the journal keeps of an email: `sending` (made durable before the server is contacted),
 * then `sent` with what the server answered, or `failed` when it refused. Never the body or the
 * attachments: the fingerprint is a hash of them.
 */
type EmailRecord = { state: "sending" } | ({ state: "sent" } & SentEmail) | { state: "failed" };

/**
 * A run's `sendEmail` journaled under the strand's step keys, so a resumed run never sends a mail
 * twice: a step the journal holds as sent is replayed (its Message-ID and recipients) without
 * contacting the server; one that was being sent when the run stopped (a crash, kill -9) may have
 * reached the server, so it is not sent again either, with a warning; a failed one is sent again.
 * A step whose message changed (the script or its inputs changed) is sent, with a warning.
 */
export function journaledSendEmail(send: (message: OutgoingEmail) => Promise<SentEmail>, journal: Journal, steps: StepSource, warn: (message: string) => void): (message: OutgoingEmail) => Promise<SentEmail> {
  return async (message) => {
    const key = steps.nextStep("email");
    const print = emailFingerprint(message);
    const record = journal.step(key);
    const earlier = record?.result as EmailRecord | undefined;
    if (record && record.kind === "email" && record.fingerprint === print && earlier) {
      if (earlier.state === "sent") return { messageId: earlier.messageId, accepted: earlier.accepted, rejected: earlier.rejected };
      if (earlier.state === "sending") {
        warn(`The email at ${steps.where()} was being sent when this run stopped: it may have arrived, so it is not sent again.`);
        await journal.append({ kind: "email", step: key, fingerprint: print, result: { state: "sent", messageId: "", accepted: [], rejected: [] } }, { durable: true });
        return { messageId: "", accepted: [], rejected: [] };
      }
    } else if (record && record.kind === "email" && earlier?.state !== "failed") {
      warn(`The email at ${steps.where()} is not the one this run's journal holds (the script or its inputs changed): it is sent again.`);
    }
    await journal.append({ kind: "email", step: key, fingerprint: print, result: { state: "sending" } }, { durable: true });
    let sent: SentEmail;
    try {
      sent = await send(message);
    } catch (problem) {
      await journal.append({ kind: "email", step: key, fingerprint: print, result: { state: "failed" } }, { durable: true });
      throw problem;
    }
    await journal.append({ kind: "email", step: key, fingerprint: print, result: { state: "sent", ...sent } }, { durable: true });
    return sent;
  };
}

function emailFingerprint(message: OutgoingEmail): string {
  const attachments = message.attachments.map((attachment) => ({ filename: attachment.filename, sha256: createHash("sha256").update(attachment.content).digest("hex") }));
  return fingerprint({ to: message.to, subject: message.subject, text: message.text, attachments });
}
