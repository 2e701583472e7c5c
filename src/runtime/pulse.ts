import type { Span } from "../syntax/span.js";
import { RunStopped } from "./errors.js";

/** Statements between two looks at the clock and the run's signal: a counter is all the others cost. */
const beatsPerLook = 1024;
/** The longest a run computes without letting the process hear Ctrl-C, --timeout and its timers. */
const longestBusyMilliseconds = 50;

/**
 * Keeps a run that computes for a long time without waiting (a long or endless loop) stoppable.
 * Statements run synchronously, so while they do, nothing else in the process runs: not the
 * Ctrl-C handler, not the --timeout timer. Every 1,024 statements the pulse looks at the clock and
 * the run's signal; after 50 ms busy it yields to the event loop once. A stopped run ends at the
 * next look, at the statement about to run.
 */
export class Pulse {
  /** Counted down by the interpreter before each statement (a field, not a call: it is the hot path). */
  countdown = beatsPerLook;
  private busySince = performance.now();

  constructor(private readonly signal: AbortSignal | undefined) {}

  /** When the countdown reaches 0: nothing to do, or a short wait for the event loop. Throws once the run is stopped. */
  look(span: Span): Promise<void> | undefined {
    this.countdown = beatsPerLook;
    this.stopIfAsked(span);
    if (performance.now() - this.busySince < longestBusyMilliseconds) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.busySince = performance.now();
      this.stopIfAsked(span);
    });
  }

  private stopIfAsked(span: Span): void {
    if (this.signal?.aborted === true) throw new RunStopped(this.signal, span);
  }
}
