import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import type { IdSources } from "../byom/provider-ids.js";
import type { SecretStoreOpener } from "../byom/secret-store-access.js";
import type { InterruptSource } from "../session/run-cancellation.js";

/**
 * What the command line takes from the outside world besides its arguments, writer and
 * environment. Tests replace any of them: standard input, the secret store, the current folder,
 * the HTTP client, the clock and the random part of provider ids.
 */
export interface CliServices {
  /** The whole of standard input (a secret given with --api-key-stdin). */
  readStandardInput?: () => Promise<string>;
  openSecretStore?: SecretStoreOpener;
  currentDirectory?: string;
  fetch?: typeof fetch;
  idSources?: IdSources;
  now?: () => Date;
  /** Ctrl-C for `prose run` (SIGINT by default). */
  onInterrupt?: InterruptSource;
}

/**
 * Reads a secret from standard input: everything up to the end when it is piped, or one line
 * typed at a terminal without echoing it.
 */
export function readProcessStandardInput(): Promise<string> {
  const input = process.stdin;
  if (input.isTTY !== true) {
    return new Promise((resolve, reject) => {
      const pieces: Buffer[] = [];
      input.on("data", (piece: Buffer) => pieces.push(piece));
      input.on("end", () => resolve(Buffer.concat(pieces).toString("utf8")));
      input.on("error", reject);
    });
  }
  process.stderr.write("Paste the secret and press Enter (it is not shown): ");
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input, output: silent, terminal: true });
  return new Promise((resolve) => {
    reader.once("line", (line) => {
      reader.close();
      process.stderr.write("\n");
      resolve(line);
    });
  });
}
