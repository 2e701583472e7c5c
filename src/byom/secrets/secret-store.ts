/**
 * Where credential values live, encrypted at rest. Config files hold only references
 * (`SecretReference`); a value is read just before a request needs it.
 *
 * Implementations: `local` (an AES-256-GCM encrypted file in the workspace) and `aws-ssm`
 * (SecureString parameters under a prefix). Both are used through this interface only.
 */
export interface SecretReference {
  agent: string;
  providerId: string;
  /** Increases by one at each rotation; the config names the active version. */
  version: number;
}

export interface SecretStore {
  /** "local" or "aws-ssm", for messages. */
  readonly kind: string;
  /** Where it keeps the values, for messages: "AWS SSM (region eu-west-1)". */
  readonly where?: string;
  /** Stores a new value; fails if that exact version already exists. */
  put(reference: SecretReference, value: string): Promise<void>;
  /**
   * The value, or a `SecretStoreError` with an English message (never containing the value).
   * `signal` stops the read (the run was stopped, the call's time ran out): it then fails at once.
   */
  get(reference: SecretReference, options?: ReadOptions): Promise<string>;
  /** Removes one version; removing a missing one is not an error. */
  delete(reference: SecretReference): Promise<void>;
  /** Every stored version for an agent (and provider), for listing and clean-up after rotation. */
  list(agent: string, providerId?: string): Promise<SecretReference[]>;
}

export interface ReadOptions {
  signal?: AbortSignal;
}

export type SecretStoreProblem = "not-found" | "wrong-key" | "tampered" | "unavailable" | "denied" | "invalid";

/** A store failure in plain words, with what to do; never holds a secret value. */
export class SecretStoreError extends Error {
  override readonly name = "SecretStoreError";
  constructor(
    readonly problem: SecretStoreProblem,
    message: string,
  ) {
    super(message);
  }
}
