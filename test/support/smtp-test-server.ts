import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAuthentication } from "smtp-server";

/** One mail the server took: the envelope, the login used (if any), and the message parsed. */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  login?: { method: string; username: string };
  /** Whether the mail came over TLS (implicit, or after STARTTLS). */
  secure: boolean;
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** Logins tried, accepted or not: method and user (never kept: the password). */
  logins: Array<{ method: string; username: string; accepted: boolean }>;
  close(): Promise<void>;
}

export interface SmtpTestServerOptions {
  /** The user and password the server accepts; without them it takes mail with no AUTH (and offers none). */
  credentials?: { username: string; password: string };
  /** The AUTH methods offered (default PLAIN and LOGIN). */
  authMethods?: Array<"PLAIN" | "LOGIN">;
  /** Recipients refused with 550 at RCPT TO. */
  refuse?: string[];
  /** A certificate: TLS from the first byte (`implicit`), or STARTTLS offered. Without it, neither. */
  tls?: { key: string; cert: string; implicit: boolean };
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 and a free port, recording what it
 * receives. No TLS unless a certificate is given (then implicit TLS, or STARTTLS offered); AUTH
 * over a plain connection is allowed, and the server itself checks the password.
 */
export async function startSmtpServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  const logins: SmtpTestServer["logins"] = [];
  const credentials = options.credentials;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: [...(options.tls === undefined || options.tls.implicit ? ["STARTTLS"] : []), ...(credentials === undefined ? ["AUTH"] : [])],
    ...(options.tls === undefined ? {} : { key: options.tls.key, cert: options.tls.cert, secure: options.tls.implicit }),
    authOptional: credentials === undefined,
    allowInsecureAuth: true,
    authMethods: options.authMethods ?? ["PLAIN", "LOGIN"],
    onAuth(auth: SMTPServerAuthentication, _session, callback) {
      const accepted = credentials !== undefined && auth.username === credentials.username && auth.password === credentials.password;
      logins.push({ method: auth.method, username: auth.username ?? "", accepted });
      if (!accepted) return callback(new Error("Invalid username or password"));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.includes(address.address)) {
        const refusal = new Error(`Mailbox ${address.address} unavailable`) as Error & { responseCode: number };
        refusal.responseCode = 550;
        return callback(refusal);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        const login = session.user === undefined ? undefined : [...logins].reverse().find((attempt) => attempt.accepted);
        // Parsed before the server answers 250: when the client is told the mail was taken, it is here.
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              envelopeFrom: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
              envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
              secure: session.secure,
              ...(login === undefined ? {} : { login: { method: login.method, username: login.username } }),
              raw,
              parsed,
            });
            callback();
          },
          (problem: Error) => callback(problem),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return {
    host: "127.0.0.1",
    port,
    get received() {
      return received;
    },
    logins,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: one a server had, closed again. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
