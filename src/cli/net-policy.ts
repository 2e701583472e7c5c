/**
 * The hosts a run may send web requests to (`--allow-net`, repeatable): `api.example.com` (any
 * port), `127.0.0.1:8080` (that port), `[::1]:8080`, or `*` for any host. Without the flag a run
 * reaches no host at all.
 */
export class NetPolicy {
  private readonly any: boolean;
  private readonly entries: Array<{ host: string; port?: string }>;

  constructor(readonly given: readonly string[]) {
    this.any = given.some((entry) => entry.trim() === "*");
    this.entries = given.filter((entry) => entry.trim() !== "*").map(parseEntry);
  }

  allows(url: URL): boolean {
    if (this.any) return true;
    const host = url.hostname.toLowerCase();
    const port = portOf(url);
    return this.entries.some((entry) => entry.host === host && (entry.port === undefined || entry.port === port));
  }
}

export class NetPolicyProblem extends Error {
  override readonly name = "NetPolicyProblem";
}

function parseEntry(entry: string): { host: string; port?: string } {
  const trimmed = entry.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(trimmed);
  if (match === null || match[1] === undefined) throw new NetPolicyProblem(`--allow-net takes a host, a host:port or "*", not "${entry.slice(0, 80)}".`);
  const port = match[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new NetPolicyProblem(`--allow-net "${entry.slice(0, 80)}": a port is a number from 1 to 65535.`);
  return port === undefined ? { host: match[1] } : { host: match[1], port: String(Number(port)) };
}

export function portOf(url: URL): string {
  return url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80";
}

/** `127.0.0.1:8080`, `api.example.com:443`: the host and port a request goes to, for messages. */
export function hostAndPort(url: URL): string {
  return `${url.hostname}:${portOf(url)}`;
}
