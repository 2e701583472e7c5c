import type { Redis, RedisOptions } from "ioredis";
import { UsageError } from "../usage-error.js";
import { checkRedisUrl, printableRedisUrl, withRedisPassword } from "../../llm/shared-limits/redis-connection.js";
import { RunStoreUnavailableError } from "../../session/shared-runs/run-store-unavailable.js";

/** How long `prose serve --queue` waits for Redis as it starts, and for a command, before it says so. */
export const queueConnectTimeoutMilliseconds = 3000;

/** Redis (the queue, the run store, the events) could not be used: an English message naming the URL without its password, and the fix. */
export class QueueUnavailableError extends Error {
  override readonly name = "QueueUnavailableError";
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** The queue's URL, with the password of PROSE_REDIS_PASSWORD when it names none (a password never on the command line). */
export function queueUrlOf(given: string, environment: NodeJS.ProcessEnv): string {
  const problem = checkRedisUrl(given, "--queue");
  if (problem !== undefined) throw new UsageError(problem, "For example: --queue redis://127.0.0.1:6379");
  return withRedisPassword(given, environment);
}

/** The URL's connection as ioredis options (BullMQ's `connection` takes options, not a URL). Refused in English when it is not a redis:// URL. */
export function redisOptionsOf(url: string): RedisOptions {
  const problem = checkRedisUrl(url, "--queue");
  if (problem !== undefined) throw new QueueUnavailableError(problem, "Give --queue the Redis the workers use, for example --queue redis://127.0.0.1:6379.");
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, "");
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(/^\d+$/.test(db) ? { db: Number(db) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
  };
}

/** The URL's user name and password (raw and decoded): never shown in a message. */
function secretsOf(url: string): string[] {
  try {
    const parsed = new URL(url);
    return [parsed.password, parsed.username].flatMap((secret) => (secret === "" ? [] : [secret, decodeURIComponent(secret)]));
  } catch {
    return [];
  }
}

/** `text` without the URL's user name or password. */
export function redacted(text: string, url: string): string {
  let result = text;
  for (const secret of secretsOf(url)) if (secret.length > 0) result = result.split(secret).join("***");
  return result;
}

/** Why Redis could not be used, as an English message with its fix. */
export function queueUnavailable(url: string, problem: unknown): QueueUnavailableError {
  if (problem instanceof QueueUnavailableError) return problem;
  const printable = printableRedisUrl(url);
  // The run store's own English message (it names the URL already): kept as it is.
  if (problem instanceof RunStoreUnavailableError) return new QueueUnavailableError(redacted(problem.message, url), `Start Redis at ${printable} again, or give --queue the URL of the Redis the workers use.`);
  const reason = redacted(problem instanceof Error ? problem.message : String(problem), url);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(reason)) {
    return new QueueUnavailableError(`Redis at ${printable} (--queue) refused the user or password given: ${reason}.`, "Fix them in --queue (redis://USER:PASSWORD@HOST:PORT).");
  }
  return new QueueUnavailableError(`The run queue's Redis at ${printable} (--queue) could not be reached: ${reason}.`, `Start Redis there (redis-server --port ${safePort(url)}), or give --queue the URL of the Redis the workers use.`);
}

function safePort(url: string): string {
  try {
    return new URL(url).port || "6379";
  } catch {
    return "6379";
  }
}

/** The promise, or a rejection once `milliseconds` have passed. */
export function within<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${milliseconds / 1000} s`)), milliseconds);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A connection of its own to the queue's Redis, connected (within `queueConnectTimeoutMilliseconds`)
 * or refused with `QueueUnavailableError`: a server or worker whose Redis is down does not start. Once
 * connected, it reconnects by itself (and resubscribes) when Redis comes back.
 */
export async function connectedRedis(url: string, log: (line: string) => void, who: "server" | "worker" = "server"): Promise<Redis> {
  const options = redisOptionsOf(url);
  const { Redis } = await import("ioredis");
  let lastProblem = "";
  let connected = false;
  const client = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: queueConnectTimeoutMilliseconds,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => (connected ? Math.min(200 * times, 2000) : null),
    disconnectTimeout: 200,
  });
  client.on("error", (problem: Error) => {
    const message = redacted(problem.message, url);
    if (!connected || message === lastProblem) {
      lastProblem = message;
      return;
    }
    lastProblem = message;
    log(`Redis at ${printableRedisUrl(url)} (--queue): ${message}. The ${who} tries again; start Redis there or fix --queue.`);
  });
  client.on("ready", () => (lastProblem = ""));
  try {
    await within(client.connect(), queueConnectTimeoutMilliseconds, "Redis");
    await within(client.ping(), queueConnectTimeoutMilliseconds, "Redis");
  } catch (problem) {
    const stream = client.stream;
    client.disconnect();
    stream?.destroy();
    // ioredis says "Connection is closed" after the reason it gave in an "error" event: the reason is kept.
    const said = problem instanceof Error ? problem.message : String(problem);
    throw queueUnavailable(url, lastProblem !== "" && /Connection is closed|max retries|did not answer/i.test(said) ? new Error(lastProblem) : problem);
  }
  connected = true;
  return client;
}
