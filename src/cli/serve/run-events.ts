/** One event of a run's stream (Server-Sent Events): what the script said, a question, a status. */
export interface RunEvent {
  /** 1, 2, …: the SSE id, in order. */
  id: number;
  event: "output" | "warning" | "question" | "status";
  data: unknown;
}

export type Subscriber = (event: RunEvent) => void;

/** How many events a run keeps in memory for late subscribers (older output is in run.json). */
export const keptEvents = 5_000;

/**
 * The events of one run while this server holds it: kept (up to `keptEvents`) so that a late
 * subscriber gets what already happened, and told to the subscribers as they come.
 */
export class RunEvents {
  private readonly events: RunEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private next = 1;

  emit(event: RunEvent["event"], data: unknown): void {
    const made: RunEvent = { id: this.next++, event, data };
    this.events.push(made);
    if (this.events.length > keptEvents) this.events.splice(0, this.events.length - keptEvents);
    for (const subscriber of [...this.subscribers]) subscriber(made);
  }

  /** What happened so far, then every new event until `unsubscribe`. */
  subscribe(subscriber: Subscriber): { past: RunEvent[]; unsubscribe(): void } {
    this.subscribers.add(subscriber);
    return { past: [...this.events], unsubscribe: () => this.subscribers.delete(subscriber) };
  }

  /** Whether a line of output was told (or kept) already. */
  hasOutput(): boolean {
    return this.events.some((event) => event.event === "output");
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }
}
