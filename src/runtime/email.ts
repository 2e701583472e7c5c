/**
 * What a run hands its host to send (`send an email`): recipients, subject, body and files
 * already read (a table already turned into CSV). The host (the command line, from the agent's
 * email settings) sends it and says what the server accepted.
 */
export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  attachments: EmailAttachment[];
}

export interface EmailAttachment {
  filename: string;
  content: Uint8Array;
  contentType?: string;
}

/** What the server took: the Message-ID, and the recipients it accepted and refused. */
export interface SentEmail {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

/** An email that could not be sent, in English (the server, the reason, the fix); never a stack trace or a password. */
export class EmailNotSent extends Error {
  override readonly name = "EmailNotSent";
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}
