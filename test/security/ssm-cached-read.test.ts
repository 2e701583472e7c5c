import { describe, expect, it } from "vitest";
import { CachedSecretStore } from "../../src/byom/secrets/cached-secret-store.js";
import { type ReadOptions, type SecretReference, type SecretStore, SecretStoreError } from "../../src/byom/secrets/secret-store.js";
import { expectStoreError, failureOf } from "../support/secret-store-suite.js";

/**
 * Finding 7 (a run's --timeout did not stop a credential read): the cache shares one read of a
 * key between callers; each caller's signal ends its own wait at once, and the shared read is
 * stopped only when no caller waits for it any more.
 */
const reference: SecretReference = { agent: "default", providerId: "openai-main", version: 1 };

/** A store whose reads wait until released, recording the signal each read was given. */
class HeldStore implements SecretStore {
  readonly kind = "held";
  readonly where = "The held store (test)";
  readonly signals: Array<AbortSignal | undefined> = [];
  private readonly waiting: Array<(value: string) => void> = [];
  async put(): Promise<void> {}
  async delete(): Promise<void> {}
  async list(): Promise<SecretReference[]> {
    return [];
  }
  get(_reference: SecretReference, options: ReadOptions = {}): Promise<string> {
    this.signals.push(options.signal);
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      options.signal?.addEventListener("abort", () => reject(new SecretStoreError("unavailable", "the held read was stopped")), { once: true });
    });
  }
  release(value: string): void {
    for (const resolve of this.waiting.splice(0)) resolve(value);
  }
}

describe("a shared credential read and the callers' signals", () => {
  it("a stopped caller is answered at once, in English; the others still get the value from the same read", async () => {
    const inner = new HeldStore();
    const cache = new CachedSecretStore(inner);
    const run = new AbortController();
    const stopped = cache.get(reference, { signal: run.signal });
    const patient = cache.get(reference);
    run.abort(new Error("The run went past its --timeout of 5 s."));
    const error = expectStoreError(await failureOf(stopped), "unavailable");
    expect(error.message).toBe(
      'The held store (test) had not answered when the read of provider "openai-main" version 1 of agent "default" was stopped (The run went past its --timeout of 5 s). Check that it is reachable from here, then try again.',
    );
    expect(inner.signals).toHaveLength(1);
    expect(inner.signals[0]?.aborted).toBe(false);
    inner.release("sk-value");
    expect(await patient).toBe("sk-value");
  });

  it("when every caller has stopped, the read itself is stopped, and the next read starts afresh", async () => {
    const inner = new HeldStore();
    const cache = new CachedSecretStore(inner);
    const first = new AbortController();
    const second = new AbortController();
    const reads = [cache.get(reference, { signal: first.signal }), cache.get(reference, { signal: second.signal })];
    first.abort();
    await failureOf(reads[0]!);
    expect(inner.signals[0]?.aborted).toBe(false);
    second.abort();
    await failureOf(reads[1]!);
    expect(inner.signals[0]?.aborted).toBe(true);

    const again = cache.get(reference);
    expect(inner.signals).toHaveLength(2);
    inner.release("sk-value");
    expect(await again).toBe("sk-value");
  });

  it("a caller whose signal has already aborted is answered without a read", async () => {
    const inner = new HeldStore();
    const cache = new CachedSecretStore(inner);
    const error = expectStoreError(await failureOf(cache.get(reference, { signal: AbortSignal.abort() })), "unavailable");
    expect(error.message).toContain("(the caller stopped waiting)");
    expect(inner.signals).toHaveLength(0);
  });
});
