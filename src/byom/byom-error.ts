/**
 * A BYOM mistake the user can fix: a broken configuration file, an unknown provider id,
 * an option that does not fit the provider type. The message says what is wrong, `fix` what
 * to do; neither ever holds a secret value.
 */
export class ByomError extends Error {
  override readonly name = "ByomError";
  constructor(
    message: string,
    readonly fix?: string,
    /** 2 for a mistake to correct (the default), 1 for a failure to retry later. */
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}
