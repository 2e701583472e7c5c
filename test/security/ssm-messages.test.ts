import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openSecretStore } from "../../src/byom/secrets/open-secret-store.js";
import type { SecretReference } from "../../src/byom/secrets/secret-store.js";
import { SsmSecretStore } from "../../src/byom/secrets/ssm-secret-store.js";
import { ByomHarness } from "../support/byom-harness.js";
import { expectStoreError, failureOf } from "../support/secret-store-suite.js";
import { type SsmServer, startSsmServer } from "../support/ssm-server.js";

/**
 * Finding 7, the messages of the AWS SSM store: each says what happened, where (region, endpoint,
 * parameter) and what to do; the AWS SDK's own words ("SyntaxError: Unexpected token '<' …
 * inspect the hidden field {error}.$response") never come through.
 */
const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const reference: SecretReference = { agent: "default", providerId: "openai-main", version: 1 };
const sdkWords = /SyntaxError|Unexpected token|Deserialization|\$response|hidden field/;

let server: SsmServer;
const stores: SsmSecretStore[] = [];
beforeEach(async () => {
  server = await startSsmServer({ region: "eu-west-1" });
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await server.close();
});

function ssm(): SsmSecretStore {
  const store = new SsmSecretStore({ region: "eu-west-1", endpoint: server.url, credentials, maxAttempts: 1 });
  stores.push(store);
  return store;
}

describe("an endpoint that answers something that is not SSM", () => {
  for (const outage of ["html", "html-403", "html-404"] as const) {
    const status = outage === "html" ? 200 : Number(outage.slice(5));
    it(`says so in English, names the endpoint and says to check it (a web page, HTTP ${status})`, async () => {
      const store = ssm();
      server.setOutage(outage);
      const where = `AWS SSM \\(region eu-west-1, endpoint http://127\\.0\\.0\\.1:${server.port}\\)`;
      const checks = "Check the endpoint \\(`prose byom store aws-ssm --endpoint URL` sets it; without it, the region's AWS endpoint is used\\) and any proxy settings \\(HTTPS_PROXY\\)\\.$";
      const operations: Array<[string, Promise<unknown>]> = [
        ['read provider "openai-main" version 1 of agent "default"', store.get(reference)],
        ['store provider "openai-main" version 2 of agent "default"', store.put({ ...reference, version: 2 }, "sk-value")],
        ['list the secrets of agent "default"', store.list("default")],
        ['delete provider "openai-main" version 1 of agent "default"', store.delete(reference)],
      ];
      for (const [task, operation] of operations) {
        const error = expectStoreError(await failureOf(operation), "unavailable");
        expect(error.message).toMatch(
          new RegExp(`^${where} answered something that is not SSM \\(HTTP ${status}, text/html\\) when asked to ${task.replace(/[()]/g, "\\$&")}: the address is not an SSM endpoint, or something else answered in its place\\. ${checks}`),
        );
        expect(error.message).not.toMatch(sdkWords);
      }
    });
  }

  it("through the CLI: `prose byom list` and `prose run` say the same, with no SDK words", async () => {
    const harness = await ByomHarness.create();
    try {
      harness.realStores = true;
      harness.environment = { KEY: "sk-not-ssm-0123456789abcdefghijklmnop", AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
      expect((await harness.prose("byom", "store", "aws-ssm", "--prefix", "/prose", "--region", "eu-west-1", "--endpoint", server.url)).code).toBe(0);
      await harness.add("openai", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "KEY");
      server.setOutage("html-403");
      const script = join(harness.folder, "hello.prose");
      await writeFile(script, 'ask the model "Say hello"\n');
      const run = await harness.prose("run", script);
      expect(run.code).toBe(1);
      expect(run.err[0]).toContain("answered something that is not SSM (HTTP 403, text/html)");
      const list = await harness.prose("byom", "list");
      expect(list.out.join("\n")).toContain("answered something that is not SSM (HTTP 403, text/html)");
      expect(harness.printed.join("\n")).not.toMatch(sdkWords);
    } finally {
      await harness.dispose();
    }
  });
});

describe("an endpoint where nothing listens (an outage, or a wrong --endpoint)", () => {
  it("says the connection was refused, where, and to check the endpoint", async () => {
    const gone = await startSsmServer({ region: "eu-west-1" });
    const url = gone.url;
    await gone.close();
    const store = new SsmSecretStore({ region: "eu-west-1", endpoint: url, credentials, maxAttempts: 1 });
    stores.push(store);
    const error = expectStoreError(await failureOf(store.get(reference)), "unavailable");
    expect(error.message).toBe(
      `AWS SSM (region eu-west-1, endpoint ${url}) is unavailable: the connection was refused. Could not read provider "openai-main" version 1 of agent "default"; check that the endpoint is right and reachable from here (\`prose byom store\` shows it), then try again.`,
    );
  });
});

describe("a secret that is not in AWS SSM", () => {
  it("names the region, the endpoint, the parameter, and the ways to fix it", async () => {
    const error = expectStoreError(await failureOf(ssm().get({ ...reference, version: 7 })), "not-found");
    expect(error.message).toBe(
      `No secret is stored in AWS SSM (region eu-west-1, endpoint ${server.url}) for provider "openai-main" version 7 of agent "default": parameter /prose/default/openai-main/7 does not exist. ` +
        "Check that the store settings (`prose byom store` shows the region, prefix and endpoint) and the AWS account are the ones it was stored with, or store it again with `prose byom rotate openai-main`.",
    );
  });

  it("without an endpoint, names the region; for another agent, the fix names it", async () => {
    // Nothing is sent: the parameter name is refused before any request (an agent name with "/").
    const store = new SsmSecretStore({ region: "ap-southeast-2", credentials, maxAttempts: 1 });
    stores.push(store);
    expect(store.where).toBe("AWS SSM (region ap-southeast-2)");
    const elsewhere = new SsmSecretStore({ region: "eu-west-1", endpoint: server.url, credentials, maxAttempts: 1, prefix: "/team" });
    stores.push(elsewhere);
    const error = expectStoreError(await failureOf(elsewhere.get({ agent: "invoices", providerId: "anthropic", version: 2 })), "not-found");
    expect(error.message).toContain("parameter /team/invoices/anthropic/2 does not exist");
    expect(error.message).toMatch(/store it again with `prose byom rotate anthropic --agent invoices`\.$/);
  });
});

describe("AWS_PROFILE naming a profile that is not there", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "prose-aws-home-"));
    // The SDK reads these from the process: it must find only the files of this test, and never
    // ask the instance metadata service (no network beyond loopback).
    vi.stubEnv("AWS_CONFIG_FILE", join(home, "config"));
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(home, "credentials"));
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    vi.stubEnv("AWS_PROFILE", undefined);
    vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);
    vi.stubEnv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", undefined);
    vi.stubEnv("AWS_CONTAINER_CREDENTIALS_FULL_URI", undefined);
    vi.stubEnv("AWS_WEB_IDENTITY_TOKEN_FILE", undefined);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(home, { recursive: true, force: true });
  });

  const environment = (profile: string | undefined) => ({
    HOME: home,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    ...(profile === undefined ? {} : { AWS_PROFILE: profile }),
  });

  it("says the profile named in AWS_PROFILE is not in the files, where they are, and the fix (not 'set AWS_PROFILE')", async () => {
    await writeFile(join(home, "config"), "[default]\nregion = eu-west-1\n\n[profile staging]\nregion = eu-west-1\n");
    const store = openSecretStore({ kind: "aws-ssm", region: "eu-west-1", endpoint: server.url }, environment("ci-bot"), { maxAttempts: 1 });
    try {
      const error = expectStoreError(await failureOf(store.get(reference)), "denied");
      expect(error.message).toBe(
        `The AWS profile "ci-bot" named in AWS_PROFILE is not in ${join(home, "config")} or ${join(home, "credentials")}, so there are no AWS credentials to read provider "openai-main" version 1 of agent "default" in AWS SSM (region eu-west-1, endpoint ${server.url}). ` +
          "Add the profile (`aws configure --profile ci-bot`), set AWS_PROFILE to a profile that exists, or unset AWS_PROFILE and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
      );
      expect(error.message).not.toMatch(/set AWS_PROFILE,/);
    } finally {
      await store.close();
    }
    expect(server.requests).toHaveLength(0);
  });

  it("a profile that is there but gives no credentials is named, with what to check", async () => {
    await writeFile(join(home, "config"), "[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n");
    const store = openSecretStore({ kind: "aws-ssm", region: "eu-west-1", endpoint: server.url }, environment("sso-dev"), { maxAttempts: 1 });
    try {
      const error = expectStoreError(await failureOf(store.get(reference)), "denied");
      expect(error.message).toMatch(/^The AWS profile "sso-dev" named in AWS_PROFILE gave no credentials to read provider "openai-main" version 1 of agent "default" in AWS SSM \(region eu-west-1, endpoint http:\/\/127\.0\.0\.1:\d+\)\. Check its settings in .*config; for an SSO profile, sign in with `aws sso login --profile sso-dev`\.$/);
    } finally {
      await store.close();
    }
  });

  it("with no profile and no keys, says which variables to set", async () => {
    const store = openSecretStore({ kind: "aws-ssm", region: "eu-west-1", endpoint: server.url }, environment(undefined), { maxAttempts: 1 });
    try {
      const error = expectStoreError(await failureOf(store.get(reference)), "denied");
      expect(error.message).toBe(
        `No AWS credentials were found to read provider "openai-main" version 1 of agent "default" in AWS SSM (region eu-west-1, endpoint ${server.url}). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to a profile of the shared AWS config files, or run where an IAM role provides them.`,
      );
    } finally {
      await store.close();
    }
  });
});
