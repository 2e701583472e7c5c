/**
 * One abort signal per call that combines the caller's cancellation with the
 * call's timeout, and remembers which of the two fired.
 */
export interface CallSignal {
  signal: AbortSignal | undefined;
  timeoutMilliseconds: number | undefined;
  timedOut(): boolean;
  cancelled(): boolean;
}

export function callSignal(request: { signal?: AbortSignal; timeoutMilliseconds?: number }): CallSignal {
  const { signal: callerSignal, timeoutMilliseconds } = request;
  const timeoutSignal = timeoutMilliseconds === undefined ? undefined : AbortSignal.timeout(timeoutMilliseconds);
  const signals = [callerSignal, timeoutSignal].filter((signal): signal is AbortSignal => signal !== undefined);
  const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  return {
    signal,
    timeoutMilliseconds,
    timedOut: () => timeoutSignal?.aborted === true && callerSignal?.aborted !== true,
    cancelled: () => callerSignal?.aborted === true,
  };
}
