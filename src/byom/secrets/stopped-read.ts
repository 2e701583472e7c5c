import { SecretStoreError } from "./secret-store.js";

/**
 * The failure of a read stopped by its caller's signal (the run was stopped, the call's time ran
 * out): "unavailable", naming what was read, where, why it stopped, and what to check.
 */
export function readStopped(signal: AbortSignal, what: string, where: string): SecretStoreError {
  return new SecretStoreError("unavailable", `${where} had not answered when the read of ${what} was stopped (${reasonOf(signal)}). Check that it is reachable from here, then try again.`);
}

/** The abort reason's own words ("No complete answer within 2000 ms"), or general ones. */
function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  const message = typeof reason === "object" && reason !== null && "message" in reason ? String((reason as { message: unknown }).message).trim() : "";
  return message === "" || message === "This operation was aborted" ? "the caller stopped waiting" : message.replace(/[.!]+$/, "");
}

/**
 * `promise`, or a rejection with `stopped()` as soon as `signal` aborts (the work behind the
 * promise is not stopped by this: the caller tells it through the signal if it can).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, stopped: () => Error): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(stopped());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      reject(stopped());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
