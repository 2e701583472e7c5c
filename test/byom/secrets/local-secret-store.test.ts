import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalSecretStore } from "../../../src/byom/secrets/local-secret-store.js";
import type { SecretReference } from "../../../src/byom/secrets/secret-store.js";
import { canary, canaryForms, expectStoreError, failureOf, keyOf, temporaryFolder } from "../../support/secret-store-suite.js";

let root: string;
let removeRoot: () => Promise<void>;
let workspace: string;
let secretsFile: string;
beforeEach(async () => {
  ({ folder: root, remove: removeRoot } = await temporaryFolder());
  workspace = path.join(root, "workspace", ".prose");
  secretsFile = path.join(workspace, "secrets.enc.json");
});
afterEach(async () => {
  await removeRoot();
});

const openai: SecretReference = { agent: "default", providerId: "openai-main", version: 1 };

function store(environment: Record<string, string> = { PROSE_MASTER_KEY: keyOf(7) }): LocalSecretStore {
  return new LocalSecretStore({ workspace, environment: { HOME: path.join(root, "home"), ...environment } });
}

describe("local secret store: storing and reading", () => {
  it("round-trips values, lists versions per agent and provider, and deletes", async () => {
    const secrets = store();
    const serviceAccount = JSON.stringify({ client_email: "bot@p.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----\n" }, null, 2);
    await secrets.put(openai, canary);
    await secrets.put({ ...openai, version: 2 }, "sk-second");
    await secrets.put({ agent: "default", providerId: "vertex-eu", version: 1 }, serviceAccount);
    await secrets.put({ agent: "invoices", providerId: "openai-main", version: 1 }, "sk-invoices-ünïcödé");

    expect(await secrets.get(openai)).toBe(canary);
    expect(await secrets.get({ ...openai, version: 2 })).toBe("sk-second");
    expect(await secrets.get({ agent: "default", providerId: "vertex-eu", version: 1 })).toBe(serviceAccount);
    expect(await store().get({ agent: "invoices", providerId: "openai-main", version: 1 })).toBe("sk-invoices-ünïcödé");

    expect(await secrets.list("default")).toEqual([openai, { ...openai, version: 2 }, { agent: "default", providerId: "vertex-eu", version: 1 }]);
    expect(await secrets.list("default", "openai-main")).toEqual([openai, { ...openai, version: 2 }]);
    expect(await secrets.list("invoices")).toEqual([{ agent: "invoices", providerId: "openai-main", version: 1 }]);
    expect(await secrets.list("support")).toEqual([]);

    await secrets.delete(openai);
    await secrets.delete(openai);
    await secrets.delete({ agent: "nobody", providerId: "none", version: 9 });
    expect(await secrets.list("default", "openai-main")).toEqual([{ ...openai, version: 2 }]);
    expectStoreError(await failureOf(secrets.get(openai)), "not-found", /^No secret is stored for provider "openai-main" version 1 of agent "default" in .*secrets\.enc\.json\.$/);
  });

  it("answers from an empty workspace without creating anything", async () => {
    const secrets = store({});
    expectStoreError(await failureOf(secrets.get(openai)), "not-found");
    expect(await secrets.list("default")).toEqual([]);
    await secrets.delete(openai);
    await expect(stat(path.join(root, "home"))).rejects.toThrow();
    await expect(stat(workspace)).rejects.toThrow();
  });

  it("refuses to overwrite a stored version and leaves it as it was", async () => {
    const secrets = store();
    await secrets.put(openai, canary);
    expectStoreError(await failureOf(secrets.put(openai, "sk-other")), "invalid", /already stored.*new version/);
    expect(await secrets.get(openai)).toBe(canary);
  });

  it("refuses references that cannot name a secret", async () => {
    const secrets = store();
    expectStoreError(await failureOf(secrets.put({ ...openai, agent: "a/b" }, canary)), "invalid", /agent name "a\/b" cannot name a secret/);
    expectStoreError(await failureOf(secrets.get({ ...openai, providerId: "" })), "invalid", /provider id/);
    expectStoreError(await failureOf(secrets.get({ ...openai, version: 0 })), "invalid", /whole number from 1 up/);
    expectStoreError(await failureOf(secrets.list("../x")), "invalid");
  });

  it("keeps every entry when many puts run at once, from one store or two on the same file", async () => {
    const first = store();
    const second = store();
    const references = Array.from({ length: 40 }, (_, index) => ({ agent: "default", providerId: `p${String(index).padStart(2, "0")}`, version: 1 }));
    await Promise.all(references.map((reference, index) => (index % 2 === 0 ? first : second).put(reference, `value-${reference.providerId}`)));
    expect(await first.list("default")).toEqual(references);
    for (const reference of references) expect(await second.get(reference)).toBe(`value-${reference.providerId}`);
    expect(await readdir(workspace)).toEqual(["secrets.enc.json"]);
  });
});

describe("local secret store: the file at rest", () => {
  it("holds no plaintext, has mode 0600, and uses a fresh nonce for every entry", async () => {
    const secrets = store();
    await secrets.put(openai, canary);
    await secrets.put({ ...openai, version: 2 }, canary);
    const bytes = await readFile(secretsFile);
    for (const form of canaryForms) expect(bytes.includes(Buffer.from(form))).toBe(false);
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);

    const file = JSON.parse(bytes.toString("utf8"));
    expect(file).toMatchObject({ format: "prose-secrets", version: 1, cipher: "AES-256-GCM", keyCheck: expect.any(String), mac: expect.any(String) });
    const [one, two] = file.entries;
    expect(one).toEqual({
      agent: "default",
      providerId: "openai-main",
      version: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      nonce: expect.any(String),
      ciphertext: expect.any(String),
      tag: expect.any(String),
    });
    expect(Buffer.from(one.nonce, "base64")).toHaveLength(12);
    expect(Buffer.from(one.tag, "base64")).toHaveLength(16);
    expect(one.nonce).not.toBe(two.nonce);
    expect(one.ciphertext).not.toBe(two.ciphertext);
  });

  it("rejects a wrong master key with a clear error and never rewrites the file", async () => {
    await store().put(openai, canary);
    const before = await readFile(secretsFile);
    const wrong = store({ PROSE_MASTER_KEY: keyOf(8) });
    const expected = /was encrypted with a different master key than the one from PROSE_MASTER_KEY.*left unchanged/;
    expectStoreError(await failureOf(wrong.get(openai)), "wrong-key", expected);
    expectStoreError(await failureOf(wrong.put({ ...openai, version: 2 }, canary)), "wrong-key", expected);
    expectStoreError(await failureOf(wrong.delete(openai)), "wrong-key", expected);
    expectStoreError(await failureOf(wrong.list("default")), "wrong-key", expected);
    expect((await readFile(secretsFile)).equals(before)).toBe(true);
    expect(await store().get(openai)).toBe(canary);
  });

  it("reports a tampered byte and never rewrites the file", async () => {
    const secrets = store();
    await secrets.put(openai, canary);
    await secrets.put({ ...openai, version: 2 }, "sk-second");
    const original = await readFile(secretsFile, "utf8");
    const file = JSON.parse(original);
    const ciphertext: string = file.entries[0].ciphertext;
    const flipped = `${ciphertext[0] === "A" ? "B" : "A"}${ciphertext.slice(1)}`;
    const tampered = original.replace(ciphertext, flipped);
    expect(tampered).not.toBe(original);
    await writeFile(secretsFile, tampered);

    const expected = /^The secrets file .*secrets\.enc\.json is damaged or was edited: .*left unchanged/;
    expectStoreError(await failureOf(secrets.get(openai)), "tampered", expected);
    expectStoreError(await failureOf(secrets.get({ ...openai, version: 2 })), "tampered", expected);
    expectStoreError(await failureOf(secrets.put({ ...openai, version: 3 }, canary)), "tampered", expected);
    expectStoreError(await failureOf(secrets.delete(openai)), "tampered", expected);
    expect(await readFile(secretsFile, "utf8")).toBe(tampered);
  });

  it("reports an edited reference, a moved entry, a truncated file and a file from a newer Prose", async () => {
    const secrets = store();
    await secrets.put(openai, canary);
    await secrets.put({ ...openai, providerId: "openai-backup" }, "sk-backup");
    const original = await readFile(secretsFile, "utf8");
    const file = JSON.parse(original);

    const retargeted = structuredClone(file);
    retargeted.entries[0].agent = "invoices";
    const swapped = structuredClone(file);
    [swapped.entries[0].providerId, swapped.entries[1].providerId] = [swapped.entries[1].providerId, swapped.entries[0].providerId];
    const cases: Array<[string, "tampered" | "invalid", RegExp]> = [
      [JSON.stringify(retargeted), "tampered", /integrity check fails/],
      [JSON.stringify(swapped), "tampered", /integrity check fails/],
      [original.slice(0, original.length / 2), "tampered", /not valid JSON/],
      [JSON.stringify({ ...file, entries: [{ ...file.entries[0], nonce: undefined }] }), "tampered", /entries\.0\.nonce is not as Prose wrote it/],
      [JSON.stringify({ ...file, version: 2 }), "invalid", /written by a newer version of Prose/],
    ];
    for (const [content, problem, message] of cases) {
      await writeFile(secretsFile, content);
      expectStoreError(await failureOf(secrets.get(openai)), problem, message);
      expectStoreError(await failureOf(secrets.put({ ...openai, version: 5 }, canary)), problem, message);
      expect(await readFile(secretsFile, "utf8")).toBe(content);
    }
  });

  it("writes through a temporary file and leaves none behind", async () => {
    const secrets = store();
    for (let version = 1; version <= 5; version += 1) await secrets.put({ ...openai, version }, `v${version}`);
    await secrets.delete({ ...openai, version: 3 });
    expect(await readdir(workspace)).toEqual(["secrets.enc.json"]);
  });
});

describe("local secret store: the master key", () => {
  it("creates a missing key file with mode 0600 outside the workspace on the first put, then reuses it", async () => {
    const keyFile = path.join(root, "keys", "nested", "master.key");
    await store({ PROSE_KEY_FILE: keyFile }).put(openai, canary);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(keyFile, "utf8")).trim(), "base64")).toHaveLength(32);
    expect(await readdir(workspace)).toEqual(["secrets.enc.json"]);
    expect(await store({ PROSE_KEY_FILE: keyFile }).get(openai)).toBe(canary);
    // The same key given through PROSE_MASTER_KEY opens the same file.
    expect(await store({ PROSE_MASTER_KEY: (await readFile(keyFile, "utf8")).trim() }).get(openai)).toBe(canary);
  });

  it("defaults to ~/.config/prose/master.key under the given HOME, or the keyFile option", async () => {
    const home = path.join(root, "home");
    const secrets = new LocalSecretStore({ workspace, environment: { HOME: home } });
    expect(secrets.keyFile).toBe(path.join(home, ".config", "prose", "master.key"));
    await secrets.put(openai, canary);
    expect((await stat(secrets.keyFile)).mode & 0o777).toBe(0o600);

    const optionKey = path.join(root, "option.key");
    const withOption = new LocalSecretStore({ workspace: path.join(root, "other"), environment: { HOME: home, PROSE_KEY_FILE: path.join(root, "ignored.key") }, keyFile: optionKey });
    await withOption.put(openai, canary);
    expect((await stat(optionKey)).mode & 0o777).toBe(0o600);
    await expect(stat(path.join(root, "ignored.key"))).rejects.toThrow();
  });

  it("does not make a new key when the secrets file exists but its key file is gone", async () => {
    const keyFile = path.join(root, "keys", "master.key");
    await store({ PROSE_KEY_FILE: keyFile }).put(openai, canary);
    const before = await readFile(secretsFile);
    const elsewhere = store({ PROSE_KEY_FILE: path.join(root, "missing", "master.key") });
    const expected = /its master key is missing \(PROSE_MASTER_KEY is not set and there is no key file at .*missing.master\.key\)/;
    expectStoreError(await failureOf(elsewhere.get(openai)), "wrong-key", expected);
    expectStoreError(await failureOf(elsewhere.put({ ...openai, version: 2 }, canary)), "wrong-key", expected);
    await expect(stat(path.join(root, "missing"))).rejects.toThrow();
    expect((await readFile(secretsFile)).equals(before)).toBe(true);
  });

  it("refuses a PROSE_MASTER_KEY that is not base64 of exactly 32 bytes, without showing it", () => {
    const cases: Array<[string, RegExp]> = [
      [Buffer.alloc(16, 1).toString("base64"), /must be the base64 encoding of exactly 32 bytes, but it decodes to 16 bytes\. Create a key with `openssl rand -base64 32`\./],
      [Buffer.alloc(33, 1).toString("base64"), /decodes to 33 bytes/],
      [canary, /is not valid base64/],
      [`${keyOf(1).slice(0, -1)}!`, /is not valid base64/],
    ];
    for (const [key, message] of cases) {
      let thrown: unknown;
      try {
        store({ PROSE_MASTER_KEY: key });
      } catch (error) {
        thrown = error;
      }
      const error = expectStoreError(thrown, "invalid", message);
      expect(error.message).toMatch(/^PROSE_MASTER_KEY /);
      expect(JSON.stringify(error)).not.toContain(key);
    }
    // Surrounding white space (a trailing newline from a file) and missing padding are fine.
    expect(() => store({ PROSE_MASTER_KEY: `${keyOf(3)}\n` })).not.toThrow();
    expect(() => store({ PROSE_MASTER_KEY: keyOf(3).replace(/=+$/, "") })).not.toThrow();
  });

  it("refuses a key file inside the workspace, a relative key file, a damaged key file and one others can read", async () => {
    expect(() => store({ PROSE_KEY_FILE: path.join(workspace, "master.key") })).toThrow(/is inside the workspace/);
    expect(() => store({ PROSE_KEY_FILE: workspace })).toThrow(/is inside the workspace/);
    expect(() => store({ PROSE_KEY_FILE: "keys/master.key" })).toThrow(/absolute path/);

    const damaged = path.join(root, "damaged.key");
    await writeFile(damaged, "not a key\n", { mode: 0o600 });
    expectStoreError(await failureOf(store({ PROSE_KEY_FILE: damaged }).put(openai, canary)), "invalid", /^The key file .*damaged\.key must be the base64 encoding of exactly 32 bytes/);

    const shared = path.join(root, "shared", "master.key");
    await mkdir(path.dirname(shared));
    await writeFile(shared, `${keyOf(4)}\n`, { mode: 0o644 });
    expectStoreError(await failureOf(store({ PROSE_KEY_FILE: shared }).put(openai, canary)), "invalid", /can be read by other users \(mode 644\)\. Run `chmod 600 .*master\.key`/);
  });
});
