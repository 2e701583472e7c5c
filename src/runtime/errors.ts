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

/** The run was stopped from outside (Ctrl-C, --timeout) before its end; `span` is where, when known. */
export class RunStopped extends Error {
  constructor(
    message: string,
    readonly span?: Span,
  ) {
    super(message);
    this.name = "RunStopped";
  }
}

/** The message a stopped run ends with: the reason its signal was aborted with. */
export function stoppedMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name !== "AbortError" ? reason.message : "The run was stopped.";
}

/** `stop`: ends the run successfully, from any depth. */
export class StopSignal {
  constructor(readonly span: Span) {}
}
