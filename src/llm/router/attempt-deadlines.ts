import { setMaxListeners } from "node:events";

/** An attempt's end: its signal aborts when the caller cancels or the attempt's time is up. */
export interface AttemptDeadline {
  readonly signal: AbortSignal;
  /** The time ran out, and the caller had not cancelled first. */
  timedOut(): boolean;
  /** The attempt is over (however it ended); call once. */
  end(): void;
}

/**
 * Attempts that may share one signal. Their SDKs each add a listener to it, which it keeps until
 * it is dropped, and adding one walks the ones already there: a small group keeps that short.
 */
const groupCapacity = 16;
/** A group takes attempts for 1% of their timeout, at most 50 ms: a deadline fires that much late at most. */
const windowShare = 0.01;
const longestWindowMilliseconds = 50;

/**
 * Each attempt's signal, aborted by the caller's cancellation or when the attempt's time is up.
 * Attempts that start within a short window (1% of the timeout, at most 50 ms) with the same
 * caller and timeout (up to 16 of them) share one AbortController and one timer, set for the
 * latest of their deadlines: at 32 calls at a time, one controller serves 16 attempts instead of
 * one each (an AbortSignal costs microseconds to make). No attempt is
 * stopped before its own deadline; one may be stopped up to the window after it. A group is
 * dropped (timer cleared, caller's listener removed) as soon as none of its attempts runs, so
 * nothing keeps the process alive after the last call.
 */
export class AttemptDeadlines {
  /** The group taking attempts now, per caller and timeout. */
  private readonly open = new WeakMap<object, Map<number, DeadlineGroup>>();
  private readonly noCaller = {};

  constructor(private readonly now: () => number = () => performance.now()) {}

  start(caller: AbortSignal | undefined, milliseconds: number): AttemptDeadline {
    const owner: object = caller ?? this.noCaller;
    let groups = this.open.get(owner);
    if (groups === undefined) {
      groups = new Map();
      this.open.set(owner, groups);
    }
    const now = this.now();
    let group = groups.get(milliseconds);
    if (group === undefined || !group.takes(now)) {
      group?.close();
      group = new DeadlineGroup(caller, milliseconds, now, groups);
      groups.set(milliseconds, group);
    }
    return group.join();
  }
}

class DeadlineGroup {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onCancel: (() => void) | undefined;
  private readonly takesUntil: number;
  private joined = 0;
  private running = 0;
  private closed = false;
  private expired = false;

  constructor(
    private readonly caller: AbortSignal | undefined,
    private readonly milliseconds: number,
    startedAt: number,
    private readonly groups: Map<number, DeadlineGroup>,
  ) {
    const window = Math.min(longestWindowMilliseconds, milliseconds * windowShare);
    this.takesUntil = startedAt + window;
    setMaxListeners(groupCapacity + 1, this.controller.signal);
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`No complete answer within ${milliseconds} ms.`, "TimeoutError"));
    }, window + milliseconds);
    if (caller !== undefined) {
      if (caller.aborted) this.controller.abort(caller.reason);
      else {
        this.onCancel = () => this.controller.abort(caller.reason);
        caller.addEventListener("abort", this.onCancel, { once: true });
      }
    }
  }

  takes(now: number): boolean {
    return !this.closed && this.joined < groupCapacity && now <= this.takesUntil && !this.controller.signal.aborted;
  }

  join(): AttemptDeadline {
    this.joined += 1;
    this.running += 1;
    let ended = false;
    return {
      signal: this.controller.signal,
      timedOut: () => this.expired && this.caller?.aborted !== true,
      end: () => {
        if (ended) return;
        ended = true;
        this.running -= 1;
        if (this.running === 0) this.close();
      },
    };
  }

  /** Takes no more attempts; dropped once none of its attempts runs. */
  close(): void {
    if (!this.closed) {
      this.closed = true;
      if (this.groups.get(this.milliseconds) === this) this.groups.delete(this.milliseconds);
    }
    if (this.running > 0) return;
    clearTimeout(this.timer);
    if (this.onCancel !== undefined) this.caller?.removeEventListener("abort", this.onCancel);
  }
}
