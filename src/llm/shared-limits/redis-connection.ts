import type { Redis } from "ioredis";
import { ModelResolutionError } from "../model-resolver.js";

/**
 * The connection to the Redis that keeps the shared limits and cooldowns (PROSE_REDIS_URL).
 * ioredis is loaded here, with a dynamic import, only when Redis is configured: a run without
 * Redis never loads it. Every failure becomes a `SharedLimitsUnavailableError` whose message names
 * the URL without its password and says what to do; the limits never fall back to none. The
 * shared run store (src/session/shared-runs/) uses the same connection with its own messages and
 * error (a `RedisPurpose`).
 */

/** How long a command may wait for Redis before the call fails (a connection included). */
export const redisCommandTimeoutMilliseconds = 3000;

/** Redis could not be reached or refused a command: the call fails with this English message. */
export class SharedLimitsUnavailableError extends ModelResolutionError {}

/** The URL as it may be printed: no user name or password. */
export function printableRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(an unreadable URL)";
  }
}

/**
 * The URL with the password of PROSE_REDIS_PASSWORD when it names none itself: a password kept out
 * of command lines (where `ps` shows them) and out of workspace.json (safe to commit). A URL that is
 * not one is returned as given (checkRedisUrl says what is wrong with it).
 */
export function withRedisPassword(url: string, environment: NodeJS.ProcessEnv): string {
  const password = environment.PROSE_REDIS_PASSWORD;
  if (password === undefined || password === "") return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password !== "") return url;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** The URL is one ioredis can use: redis:// or rediss://, with a host. `given` names where the URL came from. */
export function checkRedisUrl(url: string, given = "PROSE_REDIS_URL"): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${given} is not a URL. Set it to redis://HOST:PORT (or rediss:// for TLS), for example redis://127.0.0.1:6379.`;
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") return `${given} (${printableRedisUrl(url)}) must start with redis:// or rediss://.`;
  if (parsed.hostname === "") return `${given} (${printableRedisUrl(url)}) names no host. Set it to redis://HOST:PORT.`;
  return undefined;
}

/**
 * What a connection keeps, for its messages: the shared limits (the default, whose messages speak
 * of PROSE_REDIS_URL) or another user of the same Redis (the shared run store, given by --queue).
 */
export interface RedisPurpose<E extends Error> {
  /** Where the URL was given, as messages name it: `PROSE_REDIS_URL`, `--queue`. */
  given: string;
  /** The message when Redis cannot be reached (`reason` is ioredis's). */
  unreachable(printable: string, reason: string): string;
  /** The message when Redis refused the user or password. */
  refused(printable: string, reason: string): string;
  /** The message when the connection was closed by this process. */
  closed(printable: string): string;
  /** The error every failure becomes. */
  error(message: string): E;
  /** Whether the error is already one of `error`'s (not wrapped again). */
  isError(error: unknown): error is E;
  /**
   * False: a command sent when the connection dropped is failed, not sent again on the next
   * connection (it may have been done already; a store of records must not do it twice).
   */
  resendUnanswered?: boolean;
}

/** The shared limits' messages (PROSE_REDIS_URL). */
export const sharedLimitsPurpose: RedisPurpose<SharedLimitsUnavailableError> = {
  given: "PROSE_REDIS_URL",
  unreachable: (printable, reason) =>
    `The shared limits in Redis (${printable}) could not be reached: ${reason}. Start Redis there (redis-server --port PORT) or fix PROSE_REDIS_URL; unset PROSE_REDIS_URL to count the limits in this process only. The call was not sent, so the provider's limits are kept.`,
  refused: (printable, reason) =>
    `Redis at ${printable} refused the user or password given: ${reason}. Fix them in PROSE_REDIS_URL (redis://USER:PASSWORD@HOST:PORT) or PROSE_REDIS_PASSWORD.`,
  closed: (printable) => `The shared limits in Redis (${printable}) are closed: this process is ending.`,
  error: (message) => new SharedLimitsUnavailableError(message),
  isError: (error): error is SharedLimitsUnavailableError => error instanceof SharedLimitsUnavailableError,
};

/** The promise, or a rejection when it has not settled within the time (the timer keeps the process alive that long at most). */
function within<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${milliseconds / 1000} s`)), milliseconds);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export class RedisConnection<E extends Error = SharedLimitsUnavailableError> {
  readonly printable: string;
  private client: Promise<Redis> | undefined;
  private lastProblem: string | undefined;
  private closed = false;
  private readonly secrets: string[];

  constructor(
    readonly url: string,
    private readonly purpose: RedisPurpose<E> = sharedLimitsPurpose as unknown as RedisPurpose<E>,
  ) {
    this.printable = printableRedisUrl(url);
    const secrets: string[] = [];
    try {
      const parsed = new URL(url);
      if (parsed.password !== "") secrets.push(parsed.password, decodeURIComponent(parsed.password));
      if (parsed.username !== "") secrets.push(parsed.username, decodeURIComponent(parsed.username));
    } catch {
      // checkRedisUrl said so already.
    }
    this.secrets = secrets.filter((secret) => secret.length > 0);
  }

  /** The connected client (connecting on first use; ioredis reconnects by itself after). */
  redis(): Promise<Redis> {
    this.client ??= this.open();
    return this.client;
  }

  private async open(): Promise<Redis> {
    const problem = checkRedisUrl(this.url, this.purpose.given);
    if (problem !== undefined) throw this.purpose.error(problem);
    const { Redis } = await import("ioredis");
    const client = new Redis(this.url, {
      lazyConnect: true,
      connectTimeout: redisCommandTimeoutMilliseconds,
      commandTimeout: redisCommandTimeoutMilliseconds,
      // A command fails once a reconnection has failed, instead of waiting for Redis forever.
      maxRetriesPerRequest: 1,
      // A few reconnections, then none: the next command connects again (see "end" below), so a
      // process whose Redis went away is not kept alive by reconnection timers.
      retryStrategy: (times) => (times > 5 ? null : Math.min(50 * times, 500)),
      enableAutoPipelining: true,
      disconnectTimeout: 200,
      ...(this.purpose.resendUnanswered === false ? { autoResendUnfulfilledCommands: false } : {}),
    });
    // ioredis prints unhandled "error" events itself: they are kept for the message instead.
    client.on("error", (error: Error) => {
      this.lastProblem = error.message;
    });
    client.on("end", () => {
      if (this.client === opened) this.client = undefined;
    });
    // The connection never keeps a finished `prose run` from exiting: the bound of each command (a timer) does, for 3 s at most.
    client.on("connect", () => client.stream?.unref?.());
    const opened = this.client;
    try {
      await within(client.connect(), redisCommandTimeoutMilliseconds);
    } catch (error) {
      // Destroyed, not only ended: a Redis that does not answer would not answer the end either.
      const stream = client.stream;
      client.disconnect();
      stream?.destroy();
      this.client = undefined;
      throw this.unavailable(error);
    }
    return client;
  }

  /** Runs a command, turning any failure into the English message naming the URL. */
  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.closed) throw this.purpose.error(this.purpose.closed(this.printable));
    const redis = await this.redis();
    try {
      return await within(command(redis), redisCommandTimeoutMilliseconds);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  unavailable(error: unknown): E {
    if (this.purpose.isError(error)) return error;
    let reason = error instanceof Error ? error.message : String(error);
    if (/max retries per request|Connection is closed|Stream isn't writeable/i.test(reason)) reason = this.lastProblem ?? "the connection was closed";
    // The messages put their own full stop after the reason.
    reason = reason.replace(/\.+$/, "");
    if (/NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(reason)) {
      return this.purpose.error(this.redact(this.purpose.refused(this.printable, reason)));
    }
    return this.purpose.error(this.redact(this.purpose.unreachable(this.printable, reason)));
  }

  private redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join("***");
    return result;
  }

  /** Closes the connection (the end of the process); held leases then expire in Redis. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.client;
    this.client = undefined;
    if (pending === undefined) return;
    try {
      const client = await pending;
      client.disconnect();
    } catch {
      // It never connected.
    }
  }
}
