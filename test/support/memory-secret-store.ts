import { type SecretReference, type SecretStore, SecretStoreError } from "../../src/byom/secrets/secret-store.js";

/** A SecretStore in memory, for tests: records every read, and can be told to fail. */
export class MemorySecretStore implements SecretStore {
  readonly kind: string;
  readonly values = new Map<string, string>();
  /** Every successful `get`, in order. */
  readonly reads: SecretReference[] = [];
  /** When set, every call fails with this error. */
  failure: SecretStoreError | undefined;

  constructor(kind = "memory") {
    this.kind = kind;
  }

  async put(reference: SecretReference, value: string): Promise<void> {
    this.check();
    const key = keyOf(reference);
    if (this.values.has(key)) throw new SecretStoreError("invalid", `Version ${reference.version} of provider "${reference.providerId}" already exists.`);
    this.values.set(key, value);
  }

  async get(reference: SecretReference): Promise<string> {
    this.check();
    const value = this.values.get(keyOf(reference));
    if (value === undefined) throw new SecretStoreError("not-found", `No secret for provider "${reference.providerId}" version ${reference.version} of agent "${reference.agent}".`);
    this.reads.push({ ...reference });
    return value;
  }

  async delete(reference: SecretReference): Promise<void> {
    this.check();
    this.values.delete(keyOf(reference));
  }

  async list(agent: string, providerId?: string): Promise<SecretReference[]> {
    this.check();
    return [...this.values.keys()]
      .map((key) => {
        const [storedAgent, storedProvider, version] = key.split("\u0000");
        return { agent: storedAgent, providerId: storedProvider, version: Number(version) };
      })
      .filter((reference) => reference.agent === agent && (providerId === undefined || reference.providerId === providerId))
      .sort((a, b) => a.providerId.localeCompare(b.providerId) || a.version - b.version);
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

function keyOf(reference: SecretReference): string {
  return `${reference.agent}\u0000${reference.providerId}\u0000${reference.version}`;
}
