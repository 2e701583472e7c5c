import type { RedisPurpose } from "../../llm/shared-limits/redis-connection.js";

/**
 * The shared run store could not be reached or refused a command: the message names its URL
 * (never a password) and says what to do. Not a model's error: the run fails or waits with it.
 */
export class RunStoreUnavailableError extends Error {
  override readonly name = "RunStoreUnavailableError";
}

/** The run store's messages, for its connection (`RedisConnection`): its URL is given with --queue. */
export const runStorePurpose: RedisPurpose<RunStoreUnavailableError> = {
  given: "--queue",
  unreachable: (printable, reason) =>
    `The run store in Redis (${printable}) could not be reached: ${reason}. Start Redis there (redis-server --port PORT) or fix the URL given with --queue.`,
  refused: (printable, reason) => `Redis at ${printable} refused the user or password given: ${reason}. Fix them in the URL given with --queue (redis://USER:PASSWORD@HOST:PORT).`,
  closed: (printable) => `The run store in Redis (${printable}) is closed: this process is ending.`,
  error: (message) => new RunStoreUnavailableError(message),
  isError: (error): error is RunStoreUnavailableError => error instanceof RunStoreUnavailableError,
  resendUnanswered: false,
};
