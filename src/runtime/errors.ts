import type { Span } from "../syntax/span.js";

/** A mistake found while running: English, with where it happened and how to fix it. */
export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly span: Span,
    readonly fix?: string,
  ) {
    super(message);
    this.name = "RuntimeError";
  }
}

/** `fail "…"` in a script. */
export class ScriptFailure extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
    this.name = "ScriptFailure";
  }
}

/**
 * The run was stopped from outside (Ctrl-C, --timeout) before its end, through its aborted
 * signal, whose reason is the message; `span` is where, when known.
 */
export class RunStopped extends Error {
  constructor(
    signal: AbortSignal,
    readonly span?: Span,
  ) {
    const reason: unknown = signal.reason;
    super(reason instanceof Error && reason.name !== "AbortError" ? reason.message : "The run was stopped.");
    this.name = "RunStopped";
  }
}

/** `stop`: ends the run successfully, from any depth. */
export class StopSignal {
  constructor(readonly span: Span) {}
}
