import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { withWorkspaceLock } from "../../byom/workspace-lock.js";
import { writeFileAtomically } from "../../platform/atomic-file.js";

/** `<workspace>/serve-tokens.json`: the API's tokens, each kept only as the SHA-256 of its text. */
export const tokensFileName = "serve-tokens.json";

export interface StoredToken {
  id: string;
  name: string;
  /** The agents whose runs the token reaches; empty: every agent. */
  agents: string[];
  /** SHA-256 of the token's text, hex. */
  sha256: string;
  createdAt: string;
  revokedAt?: string;
}

interface TokensFile {
  version: 1;
  tokens: StoredToken[];
}

/** Who a request is: the token it came with (or the token behind its session cookie). */
export interface Principal {
  tokenId: string;
  name: string;
  agents: string[];
}

export function tokensFile(workspace: string): string {
  return join(workspace, tokensFileName);
}

function hashOf(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function readTokens(workspace: string): TokensFile {
  let text: string;
  try {
    text = readFileSync(tokensFile(workspace), "utf8");
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, tokens: [] };
    throw problem;
  }
  const parsed = JSON.parse(text) as TokensFile;
  if (parsed === null || typeof parsed !== "object" || !Array.isArray(parsed.tokens)) throw new Error(`${tokensFile(workspace)} is not a tokens file`);
  return parsed;
}

async function changeTokens<Result>(workspace: string, command: string, change: (file: TokensFile) => Result): Promise<Result> {
  await mkdir(workspace, { recursive: true, mode: 0o700 });
  return withWorkspaceLock(workspace, command, async () => {
    const file = readTokens(workspace);
    const result = change(file);
    await writeFileAtomically(tokensFile(workspace), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    return result;
  });
}

/** A new token: its text (shown once, never stored) and its record. */
export async function createToken(workspace: string, options: { name?: string; agents: string[]; now: Date }): Promise<{ token: string; record: StoredToken }> {
  const token = `prose_${randomBytes(32).toString("base64url")}`;
  const record: StoredToken = {
    id: `tok-${randomBytes(6).toString("hex")}`,
    name: options.name ?? "",
    agents: [...new Set(options.agents)],
    sha256: hashOf(token).toString("hex"),
    createdAt: options.now.toISOString(),
  };
  await changeTokens(workspace, "serve token create", (file) => file.tokens.push(record));
  return { token, record };
}

export function listTokens(workspace: string): StoredToken[] {
  return readTokens(workspace).tokens;
}

/** Revokes a token by id; false when there is none. A revoked token stays listed, marked. */
export async function revokeToken(workspace: string, id: string, now: Date): Promise<StoredToken | undefined> {
  return changeTokens(workspace, "serve token revoke", (file) => {
    const found = file.tokens.find((token) => token.id === id);
    if (found !== undefined && found.revokedAt === undefined) found.revokedAt = now.toISOString();
    return found;
  });
}

/**
 * Tells the tokens of a workspace from any other text. The file is read again when it changes
 * (a token created or revoked by `prose serve token …` counts at once); each presented token is
 * hashed and compared with every live hash in constant time.
 */
export class TokenVerifier {
  private seen: { key: string; tokens: StoredToken[] } | undefined;

  constructor(private readonly workspace: string) {}

  verify(presented: string): Principal | undefined {
    if (presented.length === 0 || presented.length > 512) return undefined;
    const hash = hashOf(presented);
    let match: StoredToken | undefined;
    for (const token of this.tokens()) {
      const stored = Buffer.from(token.sha256, "hex");
      if (stored.length === hash.length && timingSafeEqual(stored, hash) && token.revokedAt === undefined) match = token;
    }
    return match === undefined ? undefined : { tokenId: match.id, name: match.name, agents: match.agents };
  }

  /** The token of this id, while it is not revoked. */
  live(id: string): Principal | undefined {
    const token = this.tokens().find((candidate) => candidate.id === id && candidate.revokedAt === undefined);
    return token === undefined ? undefined : { tokenId: token.id, name: token.name, agents: token.agents };
  }

  private tokens(): StoredToken[] {
    let key: string;
    try {
      const stats = statSync(tokensFile(this.workspace));
      key = `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
    } catch {
      return [];
    }
    if (this.seen?.key !== key) this.seen = { key, tokens: readTokens(this.workspace).tokens };
    return this.seen.tokens;
  }
}
