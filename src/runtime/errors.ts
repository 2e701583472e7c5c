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

/** `stop`: ends the run successfully, from any depth. */
export class StopSignal {
  constructor(readonly span: Span) {}
}
