/**
 * A circuit breaker per provider configuration and model: a model that keeps failing is left
 * alone for a short time, so that other calls go straight to their fallbacks instead of waiting
 * on it; once the time is over it is tried again (one failure then opens it again at once, one
 * success closes it). Shared by every run in the process, like the limits.
 */
export interface CooldownSettings {
  /** Retryable failures in a row, across calls, that open the circuit. */
  failuresToOpen: number;
  cooldownMilliseconds: number;
  /** A `Retry-After` lengthens a cooldown up to this. */
  maxCooldownMilliseconds: number;
}

export const defaultCooldownSettings: CooldownSettings = { failuresToOpen: 3, cooldownMilliseconds: 30_000, maxCooldownMilliseconds: 300_000 };

interface Circuit {
  failures: number;
  openUntil: number;
}

export class CooldownRegistry {
  private readonly circuits = new Map<string, Circuit>();

  constructor(readonly settings: CooldownSettings = defaultCooldownSettings) {}

  static key(providerId: string, model: string): string {
    return `${providerId}\u0000${model}`;
  }

  /** The time the model may be tried again, when it is cooling down now. */
  coolingUntil(key: string, now: number): number | undefined {
    const circuit = this.circuits.get(key);
    return circuit !== undefined && circuit.openUntil > now ? circuit.openUntil : undefined;
  }

  recordSuccess(key: string): void {
    if (this.circuits.has(key)) this.circuits.delete(key);
  }

  /** Counts a retryable failure; returns the end of the cooldown when this failure opened one. */
  recordFailure(key: string, now: number, retryAfterMilliseconds?: number): number | undefined {
    const circuit = this.circuits.get(key) ?? { failures: 0, openUntil: 0 };
    circuit.failures += 1;
    this.circuits.set(key, circuit);
    if (circuit.failures < this.settings.failuresToOpen || circuit.openUntil > now) return undefined;
    return this.open(key, now, Math.max(this.settings.cooldownMilliseconds, retryAfterMilliseconds ?? 0));
  }

  /** Opens the circuit for a time (a provider that asked for a longer wait than a call gives it). */
  open(key: string, now: number, milliseconds: number): number {
    const circuit = this.circuits.get(key) ?? { failures: this.settings.failuresToOpen, openUntil: 0 };
    circuit.openUntil = now + Math.min(milliseconds, this.settings.maxCooldownMilliseconds);
    this.circuits.set(key, circuit);
    return circuit.openUntil;
  }
}

/** The registry every run of the process shares. */
export const processCooldowns = new CooldownRegistry();
