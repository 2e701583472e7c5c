/** A mistake in how `prose` was called: exit code 2, with what to do instead. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}
