import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CachedSecretStore } from "../../../src/byom/secrets/cached-secret-store.js";
import { openSecretStore, type SecretStoreSettings } from "../../../src/byom/secrets/index.js";
import { type SsmServer, startSsmServer } from "../../support/ssm-server.js";
import { canary, canaryForms, expectStoreError, failureOf, keyOf, temporaryFolder } from "../../support/secret-store-suite.js";

const openai = { agent: "default", providerId: "openai-main", version: 1 };

describe("openSecretStore", () => {
  let root: string;
  let removeRoot: () => Promise<void>;
  let server: SsmServer | undefined;
  const opened: CachedSecretStore[] = [];
  beforeEach(async () => {
    ({ folder: root, remove: removeRoot } = await temporaryFolder());
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await server?.close();
    server = undefined;
    await removeRoot();
  });

  it("opens the local store in the workspace, behind the cache, with the key from the environment", async () => {
    const workspace = path.join(root, ".prose");
    const store = openSecretStore({ kind: "local", workspace }, { PROSE_MASTER_KEY: keyOf(9), HOME: path.join(root, "home") });
    expect(store).toBeInstanceOf(CachedSecretStore);
    expect(store.kind).toBe("local");
    await store.put(openai, canary);
    expect(await store.get(openai)).toBe(canary);
    const bytes = await readFile(path.join(workspace, "secrets.enc.json"));
    for (const form of canaryForms) expect(bytes.includes(Buffer.from(form))).toBe(false);
    await expect(stat(path.join(root, "home"))).rejects.toThrow();
    const reopened = openSecretStore({ kind: "local", workspace }, { PROSE_MASTER_KEY: keyOf(9) });
    expect(await reopened.get(openai)).toBe(canary);
    expectStoreError(await failureOf(openSecretStore({ kind: "local", workspace }, { PROSE_MASTER_KEY: keyOf(10) }).get(openai)), "wrong-key");
  });

  it("creates the local key file from PROSE_KEY_FILE or the keyFile option", async () => {
    const keyFile = path.join(root, "keys", "master.key");
    const store = openSecretStore({ kind: "local", workspace: path.join(root, "w") }, { PROSE_KEY_FILE: keyFile });
    await store.put(openai, canary);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const optionKey = path.join(root, "option.key");
    await openSecretStore({ kind: "local", workspace: path.join(root, "w2") }, {}, { keyFile: optionKey }).put(openai, canary);
    expect((await stat(optionKey)).mode & 0o777).toBe(0o600);
  });

  it("opens the SSM store with the region, endpoint, prefix and KMS key of the settings and credentials from the environment", async () => {
    server = await startSsmServer();
    const store = openSecretStore(
      { kind: "aws-ssm", prefix: "/acme/prose", region: "eu-west-1", endpoint: server.url, kmsKeyId: "alias/acme" },
      { AWS_ACCESS_KEY_ID: "AKIAENVIRONMENTKEY01", AWS_SECRET_ACCESS_KEY: "environment-secret", AWS_SESSION_TOKEN: "session-token" },
      { maxAttempts: 1 },
    );
    opened.push(store);
    expect(store.kind).toBe("aws-ssm");
    await store.put(openai, canary);
    store.evict(openai);
    expect(await store.get(openai)).toBe(canary);
    expect(await store.list("default")).toEqual([openai]);
    const [put] = server.requests;
    expect(put?.body).toMatchObject({ Name: "/acme/prose/default/openai-main/1", KeyId: "alias/acme", Type: "SecureString" });
    expect(put?.headers.authorization).toMatch(/Credential=AKIAENVIRONMENTKEY01\/\d{8}\/eu-west-1\/ssm\/aws4_request/);
    expect(put?.headers["x-amz-security-token"]).toBe("session-token");
  });

  it("defaults the SSM prefix to /prose and the region to AWS_REGION", async () => {
    server = await startSsmServer();
    const store = openSecretStore(
      { kind: "aws-ssm", endpoint: server.url },
      { AWS_REGION: "ap-southeast-2", AWS_ACCESS_KEY_ID: "AKIAENVIRONMENTKEY01", AWS_SECRET_ACCESS_KEY: "environment-secret" },
      { maxAttempts: 1, cacheTtlMilliseconds: 0 },
    );
    opened.push(store);
    await store.put(openai, canary);
    expect(await store.get(openai)).toBe(canary);
    expect(server.requestsFor("GetParameter")).toHaveLength(1);
    expect([...server.parameters.keys()]).toEqual(["/prose/default/openai-main/1"]);
    expect(server.requests[0]?.headers.authorization).toMatch(/\/ap-southeast-2\/ssm\/aws4_request/);
  });

  it("refuses settings that cannot work", () => {
    expect(() => openSecretStore({ kind: "aws-ssm" }, {})).toThrow(/needs a region: set it in the workspace settings or in AWS_REGION/);
    expect(() => openSecretStore({ kind: "vault" } as unknown as SecretStoreSettings, {})).toThrow(/Unknown secret store kind "vault": use "local" or "aws-ssm"/);
    expect(() => openSecretStore({ kind: "local", workspace: root }, { PROSE_MASTER_KEY: "short" })).toThrow(/PROSE_MASTER_KEY must be the base64 encoding of exactly 32 bytes/);
  });
});
