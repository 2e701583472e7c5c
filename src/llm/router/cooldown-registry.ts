import { cooldownKey, type CooldownStore } from "./cooldown-store.js";

/** When a circuit opens, and for how long. */
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

const nothing = Promise.resolve(undefined);

/**
 * The circuit breakers in this process's memory: a model that keeps failing is left alone for a
 * short time, so that other calls go straight to their fallbacks instead of waiting on it; once
 * the time is over it is tried again (one failure then opens it again at once, one success
 * closes it). Whoever builds routers makes one per process and gives it to each, so every run
 * of the process shares it, like the limits. Its work is synchronous: each promise it returns
 * is already settled (the common answers, "not cooling" and "closed", are one shared promise).
 */
export class CooldownRegistry implements CooldownStore {
  private readonly circuits = new Map<string, Circuit>();

  constructor(readonly settings: CooldownSettings = defaultCooldownSettings) {}

  static key(providerId: string, model: string): string {
    return cooldownKey(providerId, model);
  }

  coolingUntil(key: string, now: number): Promise<number | undefined> {
    const circuit = this.circuits.get(key);
    return circuit !== undefined && circuit.openUntil > now ? Promise.resolve(circuit.openUntil) : nothing;
  }

  recordSuccess(key: string): Promise<void> {
    if (this.circuits.has(key)) this.circuits.delete(key);
    return nothing;
  }

  recordFailure(key: string, now: number, retryAfterMilliseconds?: number): Promise<number | undefined> {
    const circuit = this.circuits.get(key) ?? { failures: 0, openUntil: 0 };
    circuit.failures += 1;
    this.circuits.set(key, circuit);
    if (circuit.failures < this.settings.failuresToOpen || circuit.openUntil > now) return nothing;
    return Promise.resolve(this.openNow(key, now, Math.max(this.settings.cooldownMilliseconds, retryAfterMilliseconds ?? 0)));
  }

  open(key: string, now: number, milliseconds: number): Promise<number> {
    return Promise.resolve(this.openNow(key, now, milliseconds));
  }

  private openNow(key: string, now: number, milliseconds: number): number {
    const circuit = this.circuits.get(key) ?? { failures: this.settings.failuresToOpen, openUntil: 0 };
    circuit.openUntil = now + Math.min(milliseconds, this.settings.maxCooldownMilliseconds);
    this.circuits.set(key, circuit);
    return circuit.openUntil;
  }
}
