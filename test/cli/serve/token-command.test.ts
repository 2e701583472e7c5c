import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { TokenVerifier } from "../../../src/cli/serve/token-store.js";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-serve-tokens-"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

async function prose(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { PATH: process.env.PATH ?? "" }, { currentDirectory: folder });
  return { code, out, err };
}

describe("prose serve token", () => {
  it("creates a token shown once and stored only as its SHA-256, lists tokens without their text, and revokes one", async () => {
    const workspace = join(folder, "ws");
    const created = await prose("serve", "token", "create", "--agent", "alpha", "--agent", "beta", "--name", "ci", "--workspace", workspace);
    expect(created.code).toBe(0);
    const token = created.out[0]!;
    expect(token).toMatch(/^prose_[A-Za-z0-9_-]{43}$/);
    expect(created.err[0]).toMatch(/^token tok-[0-9a-f]{12} for alpha, beta: shown this once/);
    const file = join(workspace, "serve-tokens.json");
    const stored = readFileSync(file, "utf8");
    expect(stored).not.toContain(token);
    expect(stored).toContain(createHash("sha256").update(token).digest("hex"));
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const listed = await prose("serve", "token", "list", "--workspace", workspace, "--json");
    const { tokens } = JSON.parse(listed.out[0]!) as { tokens: Array<{ id: string; name: string; agents: string[]; revokedAt: string | null }> };
    expect(tokens).toEqual([expect.objectContaining({ name: "ci", agents: ["alpha", "beta"], revokedAt: null })]);
    expect(listed.out[0]).not.toContain(token);
    expect(new TokenVerifier(workspace).verify(token)).toMatchObject({ tokenId: tokens[0]!.id, agents: ["alpha", "beta"] });

    const revoked = await prose("serve", "token", "revoke", tokens[0]!.id, "--workspace", workspace);
    expect(revoked).toEqual({ code: 0, out: [`revoked ${tokens[0]!.id}`], err: [] });
    expect(new TokenVerifier(workspace).verify(token)).toBeUndefined();
    const plain = await prose("serve", "token", "list", "--workspace", workspace);
    expect(plain.out[0]).toMatch(new RegExp(`^${tokens[0]!.id}  revoked  `));

    const unknown = await prose("serve", "token", "revoke", "tok-nope", "--workspace", workspace);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual(['error: There is no token "tok-nope".', "  See the tokens with `prose serve token list`."]);
  });

  it("makes many tokens at once without losing one (the workspace lock)", async () => {
    const workspace = join(folder, "ws");
    const made = await Promise.all(Array.from({ length: 8 }, () => prose("serve", "token", "create", "--workspace", workspace, "--json")));
    const verifier = new TokenVerifier(workspace);
    for (const outcome of made) expect(verifier.verify((JSON.parse(outcome.out[0]!) as { token: string }).token)).toBeDefined();
    expect((JSON.parse((await prose("serve", "token", "list", "--workspace", workspace, "--json")).out[0]!) as { tokens: unknown[] }).tokens).toHaveLength(8);
  });

  it("refuses a bad port and a scripts root that is not a folder", async () => {
    expect((await prose("serve", "--port", "http", "--workspace", join(folder, "ws"))).err[0]).toBe('error: --port "http" is not a port number.');
    expect((await prose("serve", "--port", "0", "--scripts", join(folder, "none"), "--workspace", join(folder, "ws"))).err[0]).toMatch(/is not a folder/);
  });
});
