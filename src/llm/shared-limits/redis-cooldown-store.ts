import type { Redis } from "ioredis";
import { type CooldownSettings, defaultCooldownSettings } from "../router/cooldown-registry.js";
import type { CooldownStore } from "../router/cooldown-store.js";
import type { RedisConnection } from "./redis-connection.js";
import { coolingScript, failureScript, openScript, withScripts } from "./redis-scripts.js";

/** A circuit no failure has touched for this long is forgotten (its failures count from zero). */
const circuitTtlMilliseconds = 3_600_000;

interface ScriptedRedis extends Redis {
  proseCooling(key: string, now: number): Promise<string | null>;
  proseFailure(key: string, now: number, retryAfter: string, failuresToOpen: number, cooldown: number, maximum: number, ttl: number): Promise<string | null>;
  proseOpen(key: string, now: number, milliseconds: number, maximum: number, failuresToOpen: number, ttl: number): Promise<string>;
}

const cooldownScripts = {
  proseCooling: { numberOfKeys: 1, lua: coolingScript },
  proseFailure: { numberOfKeys: 1, lua: failureScript },
  proseOpen: { numberOfKeys: 1, lua: openScript },
};

function scripted(redis: Redis): ScriptedRedis {
  return withScripts<ScriptedRedis>(redis, cooldownScripts);
}

/**
 * The circuit breakers in Redis, one hash per provider configuration and model
 * (`<prefix>{<agent>}:<provider id>:cooldown:<model>`: `failures`, `openUntil`), shared by every
 * process using the agent: failures in a row count across processes, and a model one process
 * found failing is left alone by all of them. Same rules as `CooldownRegistry`. When Redis cannot
 * be reached, the call fails with the English message naming the URL (its limits could not be
 * kept either).
 */
export class RedisCooldownStore implements CooldownStore {
  readonly prefix: string;

  constructor(
    private readonly connection: RedisConnection,
    private readonly agent: string,
    readonly settings: CooldownSettings = defaultCooldownSettings,
    prefix = "prose:",
  ) {
    this.prefix = prefix;
  }

  /** The router's key is `<provider id>\0<model>`. */
  keyOf(key: string): string {
    const separator = key.indexOf("\u0000");
    const providerId = separator < 0 ? key : key.slice(0, separator);
    const model = separator < 0 ? "" : key.slice(separator + 1);
    return `${this.prefix}{${this.agent}}:${providerId}:cooldown:${model}`;
  }

  async coolingUntil(key: string, now: number): Promise<number | undefined> {
    const until = await this.connection.run((redis) => scripted(redis).proseCooling(this.keyOf(key), now));
    return until === null ? undefined : Number(until);
  }

  async recordSuccess(key: string): Promise<void> {
    await this.connection.run((redis) => redis.del(this.keyOf(key)));
  }

  async recordFailure(key: string, now: number, retryAfterMilliseconds?: number): Promise<number | undefined> {
    const { failuresToOpen, cooldownMilliseconds, maxCooldownMilliseconds } = this.settings;
    const until = await this.connection.run((redis) =>
      scripted(redis).proseFailure(this.keyOf(key), now, retryAfterMilliseconds === undefined ? "" : String(retryAfterMilliseconds), failuresToOpen, cooldownMilliseconds, maxCooldownMilliseconds, circuitTtlMilliseconds),
    );
    return until === null ? undefined : Number(until);
  }

  async open(key: string, now: number, milliseconds: number): Promise<number> {
    const { failuresToOpen, maxCooldownMilliseconds } = this.settings;
    const until = await this.connection.run((redis) => scripted(redis).proseOpen(this.keyOf(key), now, milliseconds, maxCooldownMilliseconds, failuresToOpen, circuitTtlMilliseconds));
    return Number(until);
  }
}
