import { maxAnswerBytesFrom } from "../llm/answer-checks.js";
import { redactedMark, redactSecrets } from "../llm/redact-secrets.js";
import { type WebRequest, WebRequestFailed, type WebResponse } from "../runtime/web-request.js";
import { hostAndPort, type NetPolicy, portOf } from "./net-policy.js";

export interface WebAccessOptions {
  policy: NetPolicy;
  /** Reads a named secret of the run's agent, just before a request that needs it. */
  readSecret?: (name: string, signal?: AbortSignal) => Promise<string>;
  /** Whether the agent has a secret of that name. */
  hasSecret?: (name: string) => Promise<boolean>;
  environment: Readonly<Record<string, string | undefined>>;
  /** For tests; Node's built-in fetch otherwise. */
  fetch?: typeof fetch;
}

const mostRedirects = 5;

/**
 * The command line's web requests: Node's fetch, refused for a host --allow-net does not name
 * (redirects included: each hop is checked, and a named secret is never sent to another origin
 * than the one asked), cut off at the timeout or when the run is stopped, the answer bounded by
 * PROSE_MAX_ANSWER_BYTES (10 MB by default), secret values the request used removed from it.
 */
export function webAccess(options: WebAccessOptions): (request: WebRequest, signal?: AbortSignal) => Promise<WebResponse> {
  return async (request, signal) => {
    let maxBytes: number;
    try {
      maxBytes = maxAnswerBytesFrom(options.environment);
    } catch (problem) {
      throw new WebRequestFailed((problem as Error).message);
    }
    const secrets: string[] = [];
    const secretHeaders: Array<[string, string]> = [];
    for (const header of request.secretHeaders) {
      if (options.readSecret === undefined) throw new WebRequestFailed(`The secret "${header.secret}" cannot be read: this run has no secret store.`, "fix: run it with --agent and --workspace of an agent that has the secret.");
      const value = await options.readSecret(header.secret, signal);
      secrets.push(value);
      secretHeaders.push([header.header, `${header.prefix}${value}`]);
    }
    const timeout = AbortSignal.timeout(request.timeoutMilliseconds);
    const stop = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const first = new URL(request.url);
    let url = first;
    let method = request.method;
    let body = request.body;
    for (let hop = 0; ; hop += 1) {
      if (!options.policy.allows(url)) {
        const redirected = hop > 0 ? `${request.url} redirected to ${url.href}, and this run` : "This run";
        throw new WebRequestFailed(`${redirected} may not reach ${hostAndPort(url)}: it is not named by --allow-net.`, `fix: run it with --allow-net ${url.port === "" ? url.hostname : `${url.hostname}:${url.port}`} if that host is meant to be reached.`);
      }
      const headers = new Headers();
      for (const [name, value] of request.headers) headers.set(name, value);
      // A secret goes only to the origin the script named, never to where a redirect points.
      if (url.origin === first.origin) for (const [name, value] of secretHeaders) headers.set(name, value);
      if (body !== undefined) headers.set("content-type", body.contentType);
      let response: Response;
      try {
        response = await (options.fetch ?? globalThis.fetch)(url, { method, headers, ...(body === undefined ? {} : { body: body.text }), redirect: "manual", signal: stop });
      } catch (problem) {
        throw failureOf(problem, url, request, signal, timeout);
      }
      const location = response.headers.get("location");
      if ([301, 302, 303, 307, 308].includes(response.status) && location !== null) {
        await response.body?.cancel().catch(() => undefined);
        if (hop >= mostRedirects) throw new WebRequestFailed(`The request to ${request.url} was redirected more than ${mostRedirects} times.`, "fix: use the address it finally leads to.");
        url = new URL(location, url);
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      const text = await boundedText(response, maxBytes, url, request, signal, timeout);
      const answered: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        answered[name.toLowerCase()] = hide(value, secrets);
      });
      return { url: url.href, status: response.status, headers: answered, body: hide(text, secrets) };
    }
  };
}

function hide(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  return redactSecrets(text, secrets).split(redactedMark).join("[secret]");
}

async function boundedText(response: Response, maxBytes: number, url: URL, request: WebRequest, signal: AbortSignal | undefined, timeout: AbortSignal): Promise<string> {
  const tooLarge = () => new WebRequestFailed(`The answer of ${hostAndPort(url)} to ${request.url} is larger than ${maxBytes} bytes, the most a run takes (PROSE_MAX_ANSWER_BYTES).`, "fix: ask for less (a page of results), or set PROSE_MAX_ANSWER_BYTES higher.");
  const announced = response.headers.get("content-length");
  if (announced !== null && /^\d+$/.test(announced.trim()) && Number(announced) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (problem) {
    if (problem instanceof WebRequestFailed) throw problem;
    throw failureOf(problem, url, request, signal, timeout);
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}

/** Why a request failed, in English, naming the host and port; never a stack trace. */
function failureOf(problem: unknown, url: URL, request: WebRequest, signal: AbortSignal | undefined, timeout: AbortSignal): Error {
  const where = hostAndPort(url);
  if (signal?.aborted === true) return signal.reason instanceof Error ? signal.reason : new WebRequestFailed(`The request to ${request.url} was stopped with the run.`);
  if (timeout.aborted) return new WebRequestFailed(`${where} did not answer the request to ${request.url} within ${request.timeoutMilliseconds / 1000} seconds.`, "fix: try again later, or give it longer with `the timeout is 60` in the request's block.");
  const code = causeCode(problem);
  if (code === undefined && (problem as { cause?: { message?: unknown } } | undefined)?.cause?.message === "bad port") {
    return new WebRequestFailed(`I can't reach ${where} for ${request.url}: web requests may not use port ${portOf(url)} (it is kept for other protocols).`, "fix: use the server's web port.");
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: "nothing is listening there (connection refused)",
    ENOTFOUND: "that host name is not known",
    EAI_AGAIN: "the host name could not be looked up",
    ECONNRESET: "the connection was closed",
    ETIMEDOUT: "the connection timed out",
    EHOSTUNREACH: "the host is unreachable",
    ENETUNREACH: "the network is unreachable",
    UND_ERR_SOCKET: "the connection was closed",
  };
  const reason = (code === undefined ? undefined : reasons[code]) ?? (code === undefined ? "the request could not be made" : `the request failed (${code})`);
  if (code !== undefined && (code.startsWith("ERR_TLS") || code.includes("CERT"))) return new WebRequestFailed(`I can't reach ${where} for ${request.url} securely: its certificate is not trusted (${code}).`, "fix: check the address; the server needs a valid certificate.");
  return new WebRequestFailed(`I can't reach ${where} for ${request.url}: ${reason}.`, "fix: check the address and that the server is running.");
}

function causeCode(problem: unknown): string | undefined {
  let current: unknown = problem;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
