import type { Clock } from "../../src/llm/router/clock.js";

/**
 * A clock whose sleeps end at once, moving its time forward by what they asked for: backoff and
 * cooldowns run without real waits, and the waits asked for are kept in `sleeps`.
 */
export class InstantClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(public time = Date.parse("2026-11-23T10:00:00Z")) {}

  now(): number {
    return this.time;
  }

  async sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(milliseconds);
    this.time += milliseconds;
  }

  advance(milliseconds: number): void {
    this.time += milliseconds;
  }
}

interface Timer {
  at: number;
  resolve(): void;
  reject(reason: unknown): void;
}

/** A clock that stands still until `advance` moves it, ending the sleeps whose time has come, in order. */
export class ManualClock implements Clock {
  private timers: Timer[] = [];

  constructor(public time = 0) {}

  now(): number {
    return this.time;
  }

  sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = { at: this.time + milliseconds, resolve, reject };
      this.timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          this.timers = this.timers.filter((other) => other !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Sleeps not yet ended. */
  get pending(): number {
    return this.timers.length;
  }

  async advance(milliseconds: number): Promise<void> {
    const end = this.time + milliseconds;
    for (;;) {
      await settle();
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.at);
      due.resolve();
    }
    this.time = end;
    await settle();
  }
}

/** Lets every promise reaction that is ready run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}
