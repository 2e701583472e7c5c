import type { GenerateRequest } from "../language-model.js";
import type { Clock } from "./clock.js";
import type { Permit, RateLimiter, RateLimits } from "./rate-limiter-source.js";

interface Waiter {
  tokens: number;
  enqueuedAt: number;
  resolve(permit: Permit): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** What a release returns: it has done its work by then. */
const released = Promise.resolve();

/** A timer that fires this much late does not push the following requests later. */
const latenessTolerance = 10;
/**
 * A call may start this much before its time rather than wait for a timer (timers are not more
 * precise than a millisecond); the schedule stays the ideal one, so the rate over time is exact.
 */
const earlyTolerance = 1;

/**
 * Client-side limits of one provider configuration, enforced by queuing, never by failing:
 * requests and tokens per minute are spread evenly (a request may start one request-interval after
 * the one before, and after the time the tokens of the ones before buy), and at most `concurrency`
 * calls run at once. Waiters are served strictly in order. A call's tokens are estimated before it
 * starts and corrected with the usage it reports. In memory: a permit that may start at once is
 * an already-resolved promise, and a release takes effect before it returns.
 */
export class ProviderLimiter implements RateLimiter {
  private requestsFreeAt = Number.NEGATIVE_INFINITY;
  /** When the last request was (ideally) granted: a new requests-per-minute limit counts from there. */
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private tokensFreeAt = Number.NEGATIVE_INFINITY;
  private active = 0;
  private queue: Array<Waiter | undefined> = [];
  private head = 0;
  private wake: AbortController | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;

  constructor(
    private limits: RateLimits,
    private readonly clock: Clock,
  ) {}

  /** Calls waiting now. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Calls running now. */
  get running(): number {
    return this.active;
  }

  /** Takes the configuration's limits as they are now (they may change while a script runs). */
  update(limits: RateLimits): void {
    const current = this.limits;
    if (current.requestsPerMinute === limits.requestsPerMinute && current.tokensPerMinute === limits.tokensPerMinute && current.concurrency === limits.concurrency) return;
    this.limits = limits;
    if (current.requestsPerMinute !== limits.requestsPerMinute) {
      this.requestsFreeAt = limits.requestsPerMinute === undefined ? Number.NEGATIVE_INFINITY : this.lastRequestAt + 60_000 / limits.requestsPerMinute;
    }
    this.cancelWake();
    this.pump();
  }

  /** Resolves when the call may start; rejects with the signal's reason when it is cancelled while waiting. */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.clock.now();
    if (this.waiting === 0 && this.ready(now)) return Promise.resolve(this.grant(estimatedTokens, now, now));
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { tokens: estimatedTokens, enqueuedAt: now, resolve, reject, signal, onAbort: undefined };
      if (signal !== undefined) {
        waiter.onAbort = () => this.abandon(waiter);
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  private ready(now: number): boolean {
    const { concurrency } = this.limits;
    if (concurrency !== undefined && this.active >= concurrency) return false;
    return now + earlyTolerance >= this.requestsFreeAt && now + earlyTolerance >= this.tokensFreeAt;
  }

  private grant(tokens: number, now: number, enqueuedAt: number): Permit {
    this.active += 1;
    const { requestsPerMinute, tokensPerMinute } = this.limits;
    if (requestsPerMinute !== undefined) {
      this.lastRequestAt = scheduledStart(this.requestsFreeAt, now);
      this.requestsFreeAt = this.lastRequestAt + 60_000 / requestsPerMinute;
    }
    if (tokensPerMinute !== undefined) this.tokensFreeAt = scheduledStart(this.tokensFreeAt, now) + (tokens * 60_000) / tokensPerMinute;
    let ended = false;
    return {
      waitedMilliseconds: now - enqueuedAt,
      release: (usedTokens) => {
        if (ended) return released;
        ended = true;
        this.active -= 1;
        const perMinute = this.limits.tokensPerMinute;
        if (usedTokens !== undefined && perMinute !== undefined && usedTokens !== tokens) this.tokensFreeAt += ((usedTokens - tokens) * 60_000) / perMinute;
        this.pump();
        return released;
      },
    };
  }

  /** Starts every waiter at the head of the queue that may start now, then waits for the next one's time. */
  private pump(): void {
    if (this.waiting === 0) return;
    const now = this.clock.now();
    while (this.waiting > 0 && this.ready(now)) {
      const waiter = this.dequeue();
      if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(this.grant(waiter.tokens, now, waiter.enqueuedAt));
    }
    if (this.waiting === 0) return;
    const { concurrency } = this.limits;
    // Blocked on a running call: its release pumps again.
    if (concurrency !== undefined && this.active >= concurrency) return;
    this.scheduleWake(Math.max(this.requestsFreeAt, this.tokensFreeAt) - earlyTolerance, now);
  }

  private scheduleWake(at: number, now: number): void {
    if (this.wake !== undefined && this.wakeAt <= at) return;
    this.cancelWake();
    const controller = new AbortController();
    this.wake = controller;
    this.wakeAt = at;
    this.clock.sleep(Math.max(1, Math.ceil(at - now)), controller.signal).then(
      () => {
        if (this.wake === controller) this.cancelWake();
        this.pump();
      },
      () => undefined,
    );
  }

  private cancelWake(): void {
    this.wake?.abort();
    this.wake = undefined;
    this.wakeAt = Number.POSITIVE_INFINITY;
  }

  private dequeue(): Waiter {
    const waiter = this.queue[this.head]!;
    this.queue[this.head] = undefined;
    this.head += 1;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return waiter;
  }

  private abandon(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter, this.head);
    if (index < 0) return;
    this.queue.splice(index, 1);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    waiter.reject(waiter.signal?.reason);
    this.pump();
  }
}

/**
 * Where the next interval counts from: the time this start was due when it comes a little late (a
 * timer fires late; counting from now would slowly lower the rate), now after an idle time.
 */
function scheduledStart(freeAt: number, now: number): number {
  return now - freeAt <= latenessTolerance ? freeAt : now;
}

/**
 * The tokens a request will count against a tokens-per-minute limit, before it is sent: about
 * four characters a token for text, a thousand per image, plus the output it may produce.
 */
export function estimateTokens(request: GenerateRequest): number {
  let characters = request.system?.length ?? 0;
  let images = 0;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === "text") characters += part.text.length;
      else images += 1;
    }
  }
  return Math.ceil(characters / 4) + images * 1000 + (request.maxOutputTokens ?? 0);
}
