import { randomBytes } from "node:crypto";

/** How long a page's login lasts without use. */
export const sessionIdleMilliseconds = 12 * 60 * 60 * 1000;

/**
 * The web page's logins: an opaque random id (the cookie's value) for the token it was given.
 * Kept in memory only: the token never goes into the cookie, and a restart logs the page out.
 * Expired ones are removed as they are met, and at most `limit` are kept (the oldest go first).
 */
export class PageSessions {
  private readonly sessions = new Map<string, { tokenId: string; lastUsed: number }>();

  constructor(private readonly limit = 10_000) {}

  open(tokenId: string, now: number): string {
    const id = randomBytes(32).toString("base64url");
    this.sessions.set(id, { tokenId, lastUsed: now });
    while (this.sessions.size > this.limit) this.sessions.delete(this.sessions.keys().next().value!);
    return id;
  }

  /** The token behind a session id, while the session lasts. */
  tokenOf(id: string, now: number): string | undefined {
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (now - session.lastUsed > sessionIdleMilliseconds) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastUsed = now;
    return session.tokenId;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }
}
