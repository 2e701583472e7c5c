import { checkReference, describeReference } from "./secret-reference.js";
import { type ReadOptions, type SecretReference, type SecretStore, SecretStoreError } from "./secret-store.js";
import { readStopped, untilAborted } from "./stopped-read.js";

export const defaultSecretCacheTtlMilliseconds = 5 * 60 * 1000;

export interface CachedSecretStoreOptions {
  /** How long a value read (or stored) stays in memory; default 5 minutes, 0 to keep nothing. */
  ttlMilliseconds?: number;
  /** Milliseconds, for tests; defaults to `Date.now`. */
  now?: () => number;
}

interface CachedValue {
  value: string;
  expiresAt: number;
}

/** One read of the inner store, shared by the callers that wait for it. */
interface SharedRead {
  request: Promise<string>;
  /** Stops the inner read when every caller waiting for it has stopped waiting. */
  controller: AbortController;
  waiting: number;
}

/**
 * Keeps values in memory for a short time, keyed by agent, provider id and version (a rotation
 * bumps the version, so it takes effect at once). Within the TTL a value is served without asking
 * the inner store, so it keeps working while that store is down; after the TTL the inner store's
 * error comes through. Concurrent reads of one key share a single inner request; a caller's signal
 * stops its own wait at once, and the inner request is stopped when no caller waits for it any more.
 */
export class CachedSecretStore implements SecretStore {
  readonly kind: string;
  /** The inner store, for messages: "AWS SSM (region …)". */
  readonly where: string;
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly values = new Map<string, CachedValue>();
  private readonly pending = new Map<string, SharedRead>();
  /** Bumped when a key is stored or deleted, so a read that started earlier does not fill the cache. */
  private readonly generations = new Map<string, number>();

  constructor(
    readonly inner: SecretStore,
    options: CachedSecretStoreOptions = {},
  ) {
    const ttl = options.ttlMilliseconds ?? defaultSecretCacheTtlMilliseconds;
    if (!Number.isFinite(ttl) || ttl < 0) throw new SecretStoreError("invalid", `The secret cache time must be zero or more milliseconds, not ${String(ttl)}.`);
    this.kind = inner.kind;
    this.where = inner.where ?? `The ${inner.kind} secret store`;
    this.ttl = ttl;
    this.now = options.now ?? Date.now;
  }

  async put(reference: SecretReference, value: string): Promise<void> {
    checkReference(reference);
    const key = cacheKey(reference);
    await this.inner.put(reference, value);
    this.bump(key);
    this.remember(key, value);
  }

  async get(reference: SecretReference, options: ReadOptions = {}): Promise<string> {
    checkReference(reference);
    const key = cacheKey(reference);
    const cached = this.values.get(key);
    if (cached !== undefined) {
      if (this.now() < cached.expiresAt) return cached.value;
      this.values.delete(key);
    }
    if (options.signal?.aborted === true) throw readStopped(options.signal, describeReference(reference), this.where);
    let shared = this.pending.get(key);
    if (shared === undefined) {
      const generation = this.generations.get(key) ?? 0;
      const controller = new AbortController();
      const request = this.inner.get(reference, { signal: controller.signal }).then((value) => {
        if ((this.generations.get(key) ?? 0) === generation) this.remember(key, value);
        return value;
      });
      const read: SharedRead = { request, controller, waiting: 0 };
      shared = read;
      this.pending.set(key, read);
      const clear = () => {
        if (this.pending.get(key) === read) this.pending.delete(key);
      };
      request.then(clear, clear);
    }
    return this.waitFor(key, shared, reference, options.signal);
  }

  /** The shared read's value, unless `signal` stops this caller's wait first. */
  private async waitFor(key: string, shared: SharedRead, reference: SecretReference, signal: AbortSignal | undefined): Promise<string> {
    shared.waiting += 1;
    try {
      return await untilAborted(shared.request, signal, () => readStopped(signal!, describeReference(reference), this.where));
    } finally {
      shared.waiting -= 1;
      if (shared.waiting === 0 && signal?.aborted === true && !shared.controller.signal.aborted) {
        // Nobody waits for this read any more: stop it, and let the next read start afresh.
        if (this.pending.get(key) === shared) this.pending.delete(key);
        shared.controller.abort(signal.reason);
      }
    }
  }

  async delete(reference: SecretReference): Promise<void> {
    checkReference(reference);
    const key = cacheKey(reference);
    this.forget(key);
    try {
      await this.inner.delete(reference);
    } finally {
      this.forget(key);
    }
  }

  list(agent: string, providerId?: string): Promise<SecretReference[]> {
    return this.inner.list(agent, providerId);
  }

  /** Drops one cached value (the next read asks the inner store). */
  evict(reference: SecretReference): void {
    this.forget(cacheKey(reference));
  }

  /** Drops every cached value. */
  clear(): void {
    for (const key of this.values.keys()) this.bump(key);
    for (const key of this.pending.keys()) this.bump(key);
    this.values.clear();
    this.pending.clear();
  }

  /** Closes the inner store's connections, if it has any. */
  async close(): Promise<void> {
    this.clear();
    const closable = this.inner as SecretStore & { close?: () => Promise<void> };
    if (typeof closable.close === "function") await closable.close();
  }

  private remember(key: string, value: string): void {
    if (this.ttl === 0) return;
    const now = this.now();
    for (const [other, cached] of this.values) if (cached.expiresAt <= now) this.values.delete(other);
    this.values.set(key, { value, expiresAt: now + this.ttl });
  }

  private forget(key: string): void {
    this.bump(key);
    this.values.delete(key);
    this.pending.delete(key);
  }

  private bump(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }
}

/** Agent names and provider ids hold no NUL (checkReference), so NUL separates them safely. */
function cacheKey(reference: SecretReference): string {
  return `${reference.agent}\u0000${reference.providerId}\u0000${reference.version}`;
}
