import { afterEach, describe, expect, it } from "vitest";
import { CachedSecretStore, defaultSecretCacheTtlMilliseconds } from "../../../src/byom/secrets/cached-secret-store.js";
import { type SecretReference, type SecretStore, SecretStoreError } from "../../../src/byom/secrets/secret-store.js";
import { SsmSecretStore } from "../../../src/byom/secrets/ssm-secret-store.js";
import { type SsmServer, startSsmServer } from "../../support/ssm-server.js";
import { canary, expectStoreError, failureOf } from "../../support/secret-store-suite.js";

const openai: SecretReference = { agent: "default", providerId: "openai-main", version: 1 };

/** An in-memory store that counts reads, and whose reads can be held until released. */
class CountingStore implements SecretStore {
  readonly kind = "counting";
  readonly values = new Map<string, string>();
  gets = 0;
  hold = false;
  private held: Array<() => void> = [];
  failure: SecretStoreError | undefined;

  async put(reference: SecretReference, value: string): Promise<void> {
    this.values.set(JSON.stringify(reference), value);
  }
  async get(reference: SecretReference): Promise<string> {
    this.gets += 1;
    // The value is looked up when the request arrives, as a remote store would.
    const value = this.values.get(JSON.stringify(reference));
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failure !== undefined) throw this.failure;
    if (value === undefined) throw new SecretStoreError("not-found", "missing");
    return value;
  }
  async delete(reference: SecretReference): Promise<void> {
    this.values.delete(JSON.stringify(reference));
  }
  async list(): Promise<SecretReference[]> {
    return [...this.values.keys()].map((key) => JSON.parse(key) as SecretReference);
  }
  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

function clock(start = 1_000_000) {
  const state = { now: start };
  return { now: () => state.now, advance: (milliseconds: number) => (state.now += milliseconds) };
}

describe("cached secret store", () => {
  it("serves a value from memory for the TTL (5 minutes by default), then reads it again", async () => {
    expect(defaultSecretCacheTtlMilliseconds).toBe(300_000);
    const inner = new CountingStore();
    await inner.put(openai, canary);
    const time = clock();
    const cached = new CachedSecretStore(inner, { now: time.now });
    expect(cached.kind).toBe("counting");
    expect(await cached.get(openai)).toBe(canary);
    time.advance(299_999);
    expect(await cached.get(openai)).toBe(canary);
    expect(inner.gets).toBe(1);
    time.advance(1);
    expect(await cached.get(openai)).toBe(canary);
    expect(inner.gets).toBe(2);
  });

  it("keys by version, so a rotated version is read at once while the old one stays cached", async () => {
    const inner = new CountingStore();
    const cached = new CachedSecretStore(inner, { now: clock().now });
    await inner.put(openai, "old");
    expect(await cached.get(openai)).toBe("old");
    await inner.put({ ...openai, version: 2 }, "new");
    expect(await cached.get({ ...openai, version: 2 })).toBe("new");
    expect(await cached.get(openai)).toBe("old");
    expect(inner.gets).toBe(2);
    // Agents and providers are separate keys too.
    await inner.put({ ...openai, agent: "invoices" }, "other agent");
    expect(await cached.get({ ...openai, agent: "invoices" })).toBe("other agent");
  });

  it("shares one inner request among concurrent reads of a key, and does not cache failures", async () => {
    const inner = new CountingStore();
    await inner.put(openai, canary);
    const cached = new CachedSecretStore(inner, { now: clock().now });
    inner.hold = true;
    const reads = Array.from({ length: 10 }, () => cached.get(openai));
    const other = cached.get({ ...openai, version: 2 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    inner.release();
    expect(await Promise.all(reads)).toEqual(Array(10).fill(canary));
    expectStoreError(await failureOf(other), "not-found");
    expect(inner.gets).toBe(2);

    inner.failure = new SecretStoreError("unavailable", "down");
    inner.hold = true;
    const failing = [cached.get({ ...openai, version: 3 }), cached.get({ ...openai, version: 3 })];
    inner.release();
    for (const read of failing) expectStoreError(await failureOf(read), "unavailable", /^down$/);
    expect(inner.gets).toBe(3);
    inner.failure = undefined;
    await inner.put({ ...openai, version: 3 }, "v3");
    // The failure was not cached: the next read asks again.
    expect(await cached.get({ ...openai, version: 3 })).toBe("v3");
    expect(inner.gets).toBe(4);
  });

  it("caches a stored value, forgets a deleted one, and lets no earlier read refill it", async () => {
    const inner = new CountingStore();
    const cached = new CachedSecretStore(inner, { now: clock().now });
    await cached.put(openai, canary);
    expect(await cached.get(openai)).toBe(canary);
    expect(inner.gets).toBe(0);

    await cached.delete(openai);
    expectStoreError(await failureOf(cached.get(openai)), "not-found");

    await inner.put(openai, "still there");
    inner.hold = true;
    const early = cached.get(openai);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const deletion = cached.delete(openai);
    inner.release();
    expect(await early).toBe("still there");
    await deletion;
    expectStoreError(await failureOf(cached.get(openai)), "not-found");

    await inner.put(openai, "again");
    expect(await cached.get(openai)).toBe("again");
    cached.evict(openai);
    await inner.delete(openai);
    expectStoreError(await failureOf(cached.get(openai)), "not-found");
  });

  it("keeps nothing with a TTL of 0 and refuses a negative TTL", async () => {
    const inner = new CountingStore();
    await inner.put(openai, canary);
    const cached = new CachedSecretStore(inner, { ttlMilliseconds: 0 });
    await cached.get(openai);
    await cached.get(openai);
    expect(inner.gets).toBe(2);
    expect(() => new CachedSecretStore(inner, { ttlMilliseconds: -1 })).toThrow(/zero or more milliseconds/);
  });
});

describe("cached secret store over AWS SSM going down mid-run", () => {
  let server: SsmServer | undefined;
  let store: CachedSecretStore | undefined;
  afterEach(async () => {
    await store?.close();
    await server?.close();
  });

  for (const outage of ["503", "destroy"] as const) {
    it(`keeps serving a cached value until its TTL, then gives the clear error (${outage})`, async () => {
      server = await startSsmServer();
      const time = clock();
      const ssm = new SsmSecretStore({ region: "eu-west-1", endpoint: server.url, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret" }, maxAttempts: 1 });
      store = new CachedSecretStore(ssm, { ttlMilliseconds: 60_000, now: time.now });
      await store.put(openai, canary);
      store.evict(openai);
      expect(await store.get(openai)).toBe(canary);
      const readsBefore = server.requestsFor("GetParameter").length;

      server.setOutage(outage);
      for (let second = 0; second < 59; second += 1) {
        time.advance(1000);
        expect(await store.get(openai)).toBe(canary);
      }
      expect(server.requestsFor("GetParameter")).toHaveLength(readsBefore);
      // A version never read is not in the cache: it fails at once.
      expectStoreError(await failureOf(store.get({ ...openai, version: 2 })), "unavailable");

      time.advance(1000);
      const error = expectStoreError(await failureOf(store.get(openai)), "unavailable", /^AWS SSM \(region eu-west-1, endpoint http:\/\/127\.0\.0\.1:\d+\) is unavailable: .*Could not read provider "openai-main" version 1 of agent "default"; try again later\.$/);
      expect(JSON.stringify(error)).not.toContain(canary);
      expectStoreError(await failureOf(store.get(openai)), "unavailable");

      server.setOutage(undefined);
      expect(await store.get(openai)).toBe(canary);
    });
  }
});
