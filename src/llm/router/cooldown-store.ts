/**
 * Where the router keeps its circuit breakers (one per provider id and model), as an interface,
 * so that whoever builds the router chooses: `CooldownRegistry` keeps them in this process's
 * memory; an implementation over a shared store (Redis, say) lets several processes share them.
 * Every method is asynchronous for that reason, and the router waits for each. A rejection
 * fails the call it happened in: a store that cannot be reached had better answer as if no
 * circuit were open (a breaker only spares time; calls still go on).
 */
export interface CooldownStore {
  /** The time (epoch milliseconds) the model may be tried again, when it is cooling down at `now`. */
  coolingUntil(key: string, now: number): Promise<number | undefined>;
  /** Closes the circuit: its failures count from zero again. */
  recordSuccess(key: string): Promise<void>;
  /**
   * Counts a retryable failure; resolves to the end of the cooldown when this failure opened one
   * (the settings' failures in a row, across calls; longer for a longer `Retry-After`).
   */
  recordFailure(key: string, now: number, retryAfterMilliseconds?: number): Promise<number | undefined>;
  /** Opens the circuit for a time (at most the settings' maximum); resolves to its end. */
  open(key: string, now: number, milliseconds: number): Promise<number>;
}

/** A store's key for a provider configuration's model. */
export function cooldownKey(providerId: string, model: string): string {
  return `${providerId}\u0000${model}`;
}
