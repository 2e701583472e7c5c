import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { type Clock, systemClock } from "../router/clock.js";
import type { Permit, RateLimiter, RateLimiterSource, RateLimits } from "../router/rate-limiter-source.js";
import type { RedisConnection } from "./redis-connection.js";
import { releaseScript, renewScript, tryScript, withScripts } from "./redis-scripts.js";

export interface RedisLimitsOptions {
  /** The agent whose providers these are: part of every key. */
  agent: string;
  /** Every key starts with it (default `prose:`). */
  prefix?: string;
  /** How long a concurrency slot is held without a heartbeat (default 30 s): a crashed process's slots come back after it. */
  leaseMilliseconds?: number;
  clock?: Clock;
}

export const defaultLeaseMilliseconds = 30_000;
/** Keys no process has touched for this long expire. */
const keyTtlMilliseconds = 3_600_000;

interface Waiter {
  tokens: number;
  enqueuedAt: number;
  ticket: string | undefined;
  cancelled: boolean;
  resolve(permit: Permit): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface ScriptedRedis extends Redis {
  proseLimitTry(keys5a: string, k2: string, k3: string, k4: string, k5: string, ...args: Array<string | number>): Promise<[number, string, number]>;
  proseLimitRelease(k1: string, k2: string, ticket: string, used: string, estimated: number, tpm: number): Promise<number>;
  proseLimitRenew(k1: string, k2: string, owner: string, lease: number, ownerTtl: number, ...tickets: string[]): Promise<number>;
}

const limitScripts = {
  proseLimitTry: { numberOfKeys: 5, lua: tryScript },
  proseLimitRelease: { numberOfKeys: 2, lua: releaseScript },
  proseLimitRenew: { numberOfKeys: 2, lua: renewScript },
};

function scripted(redis: Redis): ScriptedRedis {
  return withScripts<ScriptedRedis>(redis, limitScripts);
}

/** The keys of one provider configuration's limits (see redis-scripts.ts). */
export function limitKeys(prefix: string, agent: string, providerId: string) {
  const base = `${prefix}{${agent}}:${providerId}`;
  return { state: `${base}:state`, queue: `${base}:queue`, leases: `${base}:leases`, owners: `${base}:owners`, seq: `${base}:seq` };
}

/**
 * The limits kept in Redis, shared by every process (on any machine) that uses the agent with the
 * same Redis: one limiter per provider configuration, as `LimiterRegistry` has in memory.
 */
export class RedisLimiterSource implements RateLimiterSource {
  private readonly limiters = new Map<string, RedisLimiter>();
  /** This process, as Redis knows it: the owner of its tickets and leases. */
  readonly owner = `${hostname().replace(/[^\w.-]/g, "_")}-${process.pid}-${randomBytes(4).toString("hex")}`;
  readonly prefix: string;
  readonly leaseMilliseconds: number;
  readonly clock: Clock;

  constructor(
    readonly connection: RedisConnection,
    readonly options: RedisLimitsOptions,
  ) {
    this.prefix = options.prefix ?? "prose:";
    this.leaseMilliseconds = options.leaseMilliseconds ?? defaultLeaseMilliseconds;
    this.clock = options.clock ?? systemClock;
  }

  limiterFor(providerId: string, limits: RateLimits): RedisLimiter | undefined {
    const existing = this.limiters.get(providerId);
    if (existing !== undefined) {
      existing.update(limits);
      return existing;
    }
    if (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined && limits.concurrency === undefined) return undefined;
    const limiter = new RedisLimiter(this, limitKeys(this.prefix, this.options.agent, providerId), limits);
    this.limiters.set(providerId, limiter);
    return limiter;
  }

  /** Stops every heartbeat (the end of the process, or a test's "crash"): held leases then expire in Redis. */
  stop(): void {
    for (const limiter of this.limiters.values()) limiter.stop();
  }
}

/**
 * One provider configuration's limits in Redis. Every call takes a ticket in the configuration's
 * queue (a sorted set, in order of arrival across processes) and may start when its ticket is at
 * the head and the limits allow it: so calls are served first come, first served, whichever
 * process made them. In each process only the first local waiter asks Redis again (after the
 * time Redis said, or when a local call ends); the others wait behind it. A cancelled waiter's
 * ticket leaves the queue. A concurrency slot is a lease renewed every sixth of its length while
 * the call runs; a heartbeat keeps the process's waiters in the queue. Redis failing fails the
 * calls waiting here with an English message naming the URL; it never lets a call through unlimited.
 */
export class RedisLimiter implements RateLimiter {
  private queue: Waiter[] = [];
  private readonly held = new Set<string>();
  private pumping = false;
  private wake: (() => void) | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private dropped: string[] = [];
  private stopped = false;

  constructor(
    private readonly source: RedisLimiterSource,
    private readonly keys: ReturnType<typeof limitKeys>,
    private limits: RateLimits,
  ) {}

  update(limits: RateLimits): void {
    this.limits = limits;
  }

  /** Calls waiting in this process. */
  get waiting(): number {
    return this.queue.length;
  }

  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { tokens: estimatedTokens, enqueuedAt: this.source.clock.now(), ticket: undefined, cancelled: false, resolve, reject, signal, onAbort: undefined };
      if (signal !== undefined) {
        waiter.onAbort = () => this.abandon(waiter);
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.beat();
      this.enter(waiter);
    });
  }

  /** The waiter's first question: it takes its ticket (in order of arrival) and starts at once when it may. */
  private enter(waiter: Waiter): void {
    this.ask("", waiter.tokens).then(
      ([granted, ticket]) => {
        waiter.ticket = ticket;
        if (waiter.cancelled) {
          if (granted === 1) this.releaseLease(ticket, undefined, waiter.tokens);
          else this.drop(ticket);
          return;
        }
        if (granted === 1) this.grant(waiter, ticket);
        else this.pump();
      },
      (problem) => this.fail(waiter, problem),
    );
  }

  /** The first local waiter asks Redis again until it may start; then the next one. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const head = this.queue[0];
        // The head's first question is still on its way: its answer pumps again.
        if (head === undefined || head.ticket === undefined) return;
        let answer: [number, string, number];
        try {
          answer = await this.ask(head.ticket, head.tokens);
        } catch (problem) {
          for (const waiter of [...this.queue]) if (waiter.ticket !== undefined) this.fail(waiter, problem);
          continue;
        }
        const [granted, ticket, wait] = answer;
        if (head.cancelled || this.queue[0] !== head) {
          if (granted === 1) this.releaseLease(ticket, undefined, head.tokens);
          continue;
        }
        if (granted === 1) {
          this.grant(head, ticket);
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.wake = undefined;
            resolve();
          }, wait);
          this.wake = () => {
            clearTimeout(timer);
            this.wake = undefined;
            resolve();
          };
        });
      }
    } finally {
      this.pumping = false;
    }
  }

  private ask(ticket: string, tokens: number): Promise<[number, string, number]> {
    const { requestsPerMinute, tokensPerMinute, concurrency } = this.limits;
    const dropped = this.dropped;
    this.dropped = [];
    const { state, queue, leases, owners, seq } = this.keys;
    const lease = this.source.leaseMilliseconds;
    return this.source.connection.run((redis) =>
      scripted(redis).proseLimitTry(state, queue, leases, owners, seq, ticket, this.source.owner, tokens, requestsPerMinute ?? 0, tokensPerMinute ?? 0, concurrency ?? 0, lease, lease / 2, keyTtlMilliseconds, ...dropped),
    );
  }

  private grant(waiter: Waiter, ticket: string): void {
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    this.held.add(ticket);
    const estimated = waiter.tokens;
    let ended = false;
    waiter.resolve({
      waitedMilliseconds: Math.max(0, this.source.clock.now() - waiter.enqueuedAt),
      release: (usedTokens) => {
        if (ended) return Promise.resolve();
        ended = true;
        return this.releaseLease(ticket, usedTokens, estimated);
      },
    });
  }

  /** Ends a lease in Redis; when Redis cannot be reached, the lease expires there by itself. */
  private releaseLease(ticket: string, usedTokens: number | undefined, estimated: number): Promise<void> {
    this.held.delete(ticket);
    this.wake?.();
    this.idleCheck();
    const tpm = this.limits.tokensPerMinute ?? 0;
    return this.source.connection
      .run((redis) => scripted(redis).proseLimitRelease(this.keys.state, this.keys.leases, ticket, usedTokens === undefined ? "" : String(usedTokens), estimated, tpm))
      .then(
        () => undefined,
        () => undefined,
      );
  }

  private abandon(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    waiter.cancelled = true;
    if (waiter.ticket !== undefined) this.drop(waiter.ticket);
    waiter.reject(waiter.signal?.reason);
    if (index === 0) this.wake?.();
    this.idleCheck();
  }

  /** A cancelled waiter's ticket leaves the queue now (or with the next question, when Redis cannot be reached now). */
  private drop(ticket: string): void {
    this.source.connection.run((redis) => redis.zrem(this.keys.queue, ticket)).catch(() => this.dropped.push(ticket));
  }

  private fail(waiter: Waiter, problem: unknown): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    if (waiter.ticket !== undefined) this.dropped.push(waiter.ticket);
    waiter.reject(this.source.connection.unavailable(problem));
    this.idleCheck();
  }

  /** While this process waits or holds slots: its heartbeat renews its leases and keeps its tickets in the queue. */
  private beat(): void {
    if (this.heartbeat !== undefined || this.stopped) return;
    const lease = this.source.leaseMilliseconds;
    this.heartbeat = setInterval(() => {
      const tickets = [...this.held];
      this.source.connection.run((redis) => scripted(redis).proseLimitRenew(this.keys.leases, this.keys.owners, this.source.owner, lease, lease / 2, ...tickets)).catch(() => undefined);
    }, lease / 6);
    this.heartbeat.unref?.();
  }

  private idleCheck(): void {
    if (this.queue.length === 0 && this.held.size === 0 && this.heartbeat !== undefined) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  /** Stops the heartbeat for good. */
  stop(): void {
    this.stopped = true;
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
