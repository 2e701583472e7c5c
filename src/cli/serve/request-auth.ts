import type { FastifyRequest } from "fastify";
import { ApiError } from "./api-error.js";
import type { PageSessions } from "./page-sessions.js";
import type { Principal, TokenVerifier } from "./token-store.js";

export const sessionCookieName = "prose_session";
/** The header the page sends with every change it asks for: a cookie alone never changes anything (CSRF). */
export const pageHeaderName = "x-prose-page";

const howToGetOne = "Send `Authorization: Bearer <token>`; make a token with `prose serve token create` on the server's machine.";

/**
 * Who the request is: a bearer token, or the page's session cookie. No token, a wrong or revoked
 * one → 401. A change (not GET/HEAD) made with the cookie alone must carry `X-Prose-Page: 1` → 403.
 */
export function authenticate(request: FastifyRequest, tokens: TokenVerifier, sessions: PageSessions): Principal {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) throw new ApiError(401, "The Authorization header is not a bearer token.", howToGetOne);
    const principal = tokens.verify(match[1]!);
    if (principal === undefined) throw new ApiError(401, "This token is not valid here: it is wrong, or it was revoked.", `Check the token; see the live ones with \`prose serve token list\`. ${howToGetOne}`);
    return principal;
  }
  const sessionId = cookieValue(request.headers.cookie, sessionCookieName);
  if (sessionId !== undefined) {
    const tokenId = sessions.tokenOf(sessionId, Date.now());
    const principal = tokenId === undefined ? undefined : tokens.live(tokenId);
    if (principal === undefined) throw new ApiError(401, "The page's login has ended (it expired, the server restarted, or its token was revoked).", "Log in again with a token.");
    if (request.method !== "GET" && request.method !== "HEAD" && request.headers[pageHeaderName] !== "1") {
      throw new ApiError(403, "A change asked with the page's cookie must carry the header X-Prose-Page: 1.", "Use the page, or send the token as `Authorization: Bearer <token>`.");
    }
    return principal;
  }
  throw new ApiError(401, "This request carries no token.", howToGetOne);
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const equals = part.indexOf("=");
    if (equals < 0) continue;
    if (part.slice(0, equals).trim() === name) return part.slice(equals + 1).trim();
  }
  return undefined;
}

/** Whether the principal may see and act on runs of this agent. */
export function mayReach(principal: Principal, agent: string): boolean {
  return principal.agents.length === 0 || principal.agents.includes(agent);
}
