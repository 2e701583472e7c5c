/**
 * A run the session service cannot start as asked: a script or run that is not there, a run
 * still running, an input that cannot be read, an agent name that cannot be one. English, with
 * what to do instead. An adapter shows it: the command line exits 2 (as for a usage mistake);
 * a server would answer the request with it.
 */
export class SessionError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = "SessionError";
  }
}
