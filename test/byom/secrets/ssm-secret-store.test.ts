import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SecretReference } from "../../../src/byom/secrets/secret-store.js";
import { SsmSecretStore, type SsmSecretStoreOptions } from "../../../src/byom/secrets/ssm-secret-store.js";
import { withoutAwsNodeVersionWarning } from "../../../src/llm/aws-node-version-warning.js";
import { type SsmOutage, type SsmServer, startSsmServer } from "../../support/ssm-server.js";
import { canary, expectStoreError, failureOf } from "../../support/secret-store-suite.js";

const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const openai: SecretReference = { agent: "default", providerId: "openai-main", version: 1 };

let server: SsmServer;
const stores: SsmSecretStore[] = [];
beforeEach(async () => {
  server = await startSsmServer();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await server.close();
});

function ssm(overrides: Partial<SsmSecretStoreOptions> = {}): SsmSecretStore {
  const store = new SsmSecretStore({ region: "us-east-1", endpoint: server.url, credentials, maxAttempts: 1, ...overrides });
  stores.push(store);
  return store;
}

function rawClient(): SSMClient {
  return withoutAwsNodeVersionWarning(() => new SSMClient({ region: "us-east-1", endpoint: server.url, credentials, maxAttempts: 1 }));
}

describe("AWS SSM secret store: requests", () => {
  it("stores a SecureString without overwriting, reads it with decryption, and signs every request", async () => {
    const secrets = ssm({ kmsKeyId: "alias/prose-secrets" });
    await secrets.put(openai, canary);
    expect(await secrets.get(openai)).toBe(canary);

    const [put, get] = server.requests;
    expect(put?.target).toBe("PutParameter");
    expect(put?.body).toEqual({
      Name: "/prose/default/openai-main/1",
      Value: canary,
      Type: "SecureString",
      Overwrite: false,
      KeyId: "alias/prose-secrets",
      Description: 'Prose secret: provider "openai-main" version 1 of agent "default"',
    });
    expect(get?.target).toBe("GetParameter");
    expect(get?.body).toEqual({ Name: "/prose/default/openai-main/1", WithDecryption: true });
    for (const request of server.requests) {
      expect(request.headers["content-type"]).toBe("application/x-amz-json-1.1");
      expect(request.headers["x-amz-target"]).toBe(`AmazonSSM.${request.target}`);
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/ssm\/aws4_request, /);
    }
    expect(server.parameters.get("/prose/default/openai-main/1")).toMatchObject({ type: "SecureString", keyId: "alias/prose-secrets", version: 1 });
  });

  it("leaves the KMS key to SSM when none is set, and uses a custom prefix", async () => {
    const secrets = ssm({ prefix: "/team-a/prose/" });
    await secrets.put({ agent: "invoices", providerId: "custom-my-vllm-1764100945699-r6jisd", version: 3 }, "key");
    expect(server.requests[0]?.body).not.toHaveProperty("KeyId");
    expect([...server.parameters.keys()]).toEqual(["/team-a/prose/invoices/custom-my-vllm-1764100945699-r6jisd/3"]);
    expect(await secrets.list("invoices")).toEqual([{ agent: "invoices", providerId: "custom-my-vllm-1764100945699-r6jisd", version: 3 }]);
  });

  it("lists every version across several pages, without decryption, and deletes", async () => {
    const secrets = ssm();
    const references: SecretReference[] = [
      { agent: "default", providerId: "anthropic", version: 1 },
      { agent: "default", providerId: "openai", version: 1 },
      { agent: "default", providerId: "openai", version: 2 },
      { agent: "default", providerId: "openai", version: 10 },
      { agent: "default", providerId: "openai-2", version: 1 },
      { agent: "default", providerId: "vertex", version: 4 },
      { agent: "default", providerId: "vertex", version: 5 },
    ];
    for (const reference of references) await secrets.put(reference, `${canary}-${reference.providerId}-${reference.version}`);
    await secrets.put({ agent: "support", providerId: "openai", version: 1 }, canary);
    // A parameter someone else put under the prefix is not a secret of this store.
    await rawClient().send(new PutParameterCommand({ Name: "/prose/default/notes", Value: "hello", Type: "String" }));
    server.requests.length = 0;

    expect(await secrets.list("default")).toEqual(references);
    const pages = server.requestsFor("GetParametersByPath");
    expect(pages).toHaveLength(4);
    expect(pages.map((page) => page.body.NextToken === undefined)).toEqual([true, false, false, false]);
    for (const page of pages) expect(page.body).toMatchObject({ Path: "/prose/default", Recursive: true, WithDecryption: false });

    expect(await secrets.list("default", "openai")).toEqual(references.filter((reference) => reference.providerId === "openai"));
    expect(server.requestsFor("GetParametersByPath").at(-1)?.body.Path).toBe("/prose/default/openai");
    expect(await secrets.list("nobody")).toEqual([]);

    await secrets.delete({ agent: "default", providerId: "openai", version: 1 });
    await secrets.delete({ agent: "default", providerId: "openai", version: 1 });
    expect(server.requestsFor("DeleteParameter").map((request) => request.body)).toEqual([
      { Name: "/prose/default/openai/1" },
      { Name: "/prose/default/openai/1" },
    ]);
    expect(await secrets.list("default", "openai")).toEqual([
      { agent: "default", providerId: "openai", version: 2 },
      { agent: "default", providerId: "openai", version: 10 },
    ]);
  });
});

describe("AWS SSM secret store: errors", () => {
  it("maps ParameterNotFound to not-found naming the provider id and version", async () => {
    const error = expectStoreError(await failureOf(ssm().get({ ...openai, version: 7 })), "not-found");
    expect(error.message).toBe(
      `No secret is stored in AWS SSM (region us-east-1, endpoint ${server.url}) for provider "openai-main" version 7 of agent "default": parameter /prose/default/openai-main/7 does not exist. ` +
        "Check that the store settings (`prose byom store` shows the region, prefix and endpoint) and the AWS account are the ones it was stored with, or store it again with `prose byom rotate openai-main`.",
    );
  });

  it("maps ParameterAlreadyExists to a clear error and keeps the stored value", async () => {
    const secrets = ssm();
    await secrets.put(openai, canary);
    const error = expectStoreError(await failureOf(secrets.put(openai, "sk-replacement")), "invalid");
    expect(error.message).toBe(
      `A secret for provider "openai-main" version 1 of agent "default" already exists in AWS SSM (region us-east-1, endpoint ${server.url}, parameter /prose/default/openai-main/1); a new value needs a new version (rotate the provider).`,
    );
    expect(await secrets.get(openai)).toBe(canary);
  });

  it("maps access denied to denied, with what IAM must allow", async () => {
    const secrets = ssm();
    server.denyAccess(["PutParameter", "GetParameter"]);
    expectStoreError(await failureOf(secrets.put(openai, canary)), "denied", /^AWS SSM \(region us-east-1, endpoint http:\/\/127\.0\.0\.1:\d+\) refused to store provider "openai-main" version 1 of agent "default" \(AccessDeniedException: User: .* is not authorized to perform: ssm:PutParameter .*\)\. Check the AWS credentials, and that their IAM policy allows ssm:PutParameter on \/prose\/default\/openai-main\/1 and the KMS key's use\.$/);
    expectStoreError(await failureOf(secrets.get(openai)), "denied", /allows ssm:GetParameter on \/prose\/default\/openai-main\/1/);
    server.denyAccess(["*"]);
    expectStoreError(await failureOf(secrets.list("default")), "denied", /allows ssm:GetParametersByPath on \/prose\/default\.$/);
  });

  const outages: Array<[SsmOutage, RegExp]> = [
    ["500", /it answered HTTP 500 InternalServerError/],
    ["503", /it answered HTTP 503\./],
    ["throttle", /it is throttling requests/],
    ["destroy", /the connection was cut/],
    ["hang", /it did not answer in time/],
  ];
  for (const [outage, reason] of outages) {
    it(`reports an outage (${outage}) as unavailable, in English, without the value`, async () => {
      const secrets = ssm({ requestTimeoutMilliseconds: 300 });
      await secrets.put(openai, canary);
      server.setOutage(outage);
      const expected = new RegExp(`^AWS SSM \\(region us-east-1, endpoint http://127\\.0\\.0\\.1:\\d+\\) is unavailable: ${reason.source.replace(/^it /, "it ")}.*Could not read provider "openai-main" version 1 of agent "default"; try again later\\.$`);
      expectStoreError(await failureOf(secrets.get(openai)), "unavailable", expected);
      expectStoreError(await failureOf(secrets.put({ ...openai, version: 2 }, canary)), "unavailable", reason);
      expectStoreError(await failureOf(secrets.list("default")), "unavailable", reason);
      expectStoreError(await failureOf(secrets.delete(openai)), "unavailable", reason);
      server.setOutage(undefined);
      expect(await secrets.get(openai)).toBe(canary);
    });
  }

  it("reports a service that is gone as unavailable", async () => {
    const secrets = ssm({ endpoint: server.url });
    await server.close();
    server = await startSsmServer();
    expectStoreError(await failureOf(secrets.get(openai)), "unavailable", /is unavailable: (the connection was refused|the connection was cut)/);
  });

  it("refuses settings and references that cannot work", async () => {
    expect(() => ssm({ prefix: "prose" })).toThrow(/prefix "prose" cannot be used: it must start with \//);
    expect(() => ssm({ prefix: "/aws/prose" })).toThrow(/reserved by AWS/);
    expect(() => ssm({ prefix: "/a//b" })).toThrow(/single \//);
    expect(() => ssm({ region: "" })).toThrow(/needs a region such as eu-west-1/);
    expect(() => ssm({ endpoint: "ftp://127.0.0.1" })).toThrow(/is not an http\(s\) URL/);
    expect(ssm({ prefix: "/" }).parameterName(openai)).toBe("/default/openai-main/1");
    expectStoreError(await failureOf(ssm().put(openai, "")), "invalid", /is empty/);
    expectStoreError(await failureOf(ssm().get({ ...openai, agent: "a/b" })), "invalid", /agent name/);
    expectStoreError(await failureOf(ssm().put(openai, `${canary}${"x".repeat(5000)}`)), "invalid", /longer than the 4096 characters/);
    expect(server.requestsFor("GetParameter")).toHaveLength(0);
  });
});

describe("the SSM emulator", () => {
  it("versions overwritten parameters, hides SecureString values without decryption, and pages non-recursive paths", async () => {
    const client = rawClient();
    try {
      await client.send(new PutParameterCommand({ Name: "/app/a", Value: canary, Type: "SecureString" }));
      const overwritten = await client.send(new PutParameterCommand({ Name: "/app/a", Value: `${canary}-2`, Overwrite: true }));
      expect(overwritten.Version).toBe(2);
      for (const name of ["/app/b", "/app/c", "/app/deep/d"]) await client.send(new PutParameterCommand({ Name: name, Value: "plain", Type: "String" }));

      const hidden = await client.send(new GetParameterCommand({ Name: "/app/a" }));
      expect(hidden.Parameter?.Value).not.toContain(canary);
      expect((await client.send(new GetParameterCommand({ Name: "/app/a", WithDecryption: true }))).Parameter).toMatchObject({ Value: `${canary}-2`, Version: 2, Type: "SecureString" });

      const first = await client.send(new GetParametersByPathCommand({ Path: "/app", WithDecryption: false }));
      expect(first.Parameters?.map((parameter) => parameter.Name)).toEqual(["/app/a", "/app/b"]);
      expect(JSON.stringify(first.Parameters)).not.toContain(canary);
      const second = await client.send(new GetParametersByPathCommand({ Path: "/app", NextToken: first.NextToken }));
      expect(second.Parameters?.map((parameter) => parameter.Name)).toEqual(["/app/c"]);
      expect(second.NextToken).toBeUndefined();
      const one = await client.send(new GetParametersByPathCommand({ Path: "/app", Recursive: true, MaxResults: 1 }));
      expect(one.Parameters).toHaveLength(1);
    } finally {
      client.destroy();
    }
  });

  it("answers errors in SSM's JSON shape and refuses unsigned requests", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameter" },
      body: JSON.stringify({ Name: "/x" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });

    const signed = rawClient();
    try {
      await signed.send(new GetParameterCommand({ Name: "/missing" })).catch(() => undefined);
    } finally {
      signed.destroy();
    }
    expect(server.requests.at(-1)).toMatchObject({ target: "GetParameter", body: { Name: "/missing" } });
  });
});
