import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { credentialSecrets } from "../../src/byom/build-language-model.js";
import { RedactingModel, withoutSecrets } from "../../src/byom/redacting-model.js";
import { ssmStoreError } from "../../src/byom/secrets/ssm-errors.js";
import type { LanguageModel } from "../../src/llm/language-model.js";
import { ProviderError } from "../../src/llm/provider-error.js";
import { ByomHarness } from "../support/byom-harness.js";
import { describeSightings, findCanary } from "../support/canary-forms.js";

/**
 * Credential errors: a stored credential that is not what its type needs (a hand-edited SSM
 * parameter, a damaged store) and a secret store's own error messages never show the value.
 * JSON.parse's own message quotes the text it could not read, so it must not reach the user.
 */
const canary = "sk-CredentialCanary4Rt8Yp2/Wq6+Zx1MvK9";

let harness: ByomHarness;
beforeEach(async () => {
  harness = await ByomHarness.create();
  harness.environment = { CANARY_KEY: canary };
});
afterEach(async () => {
  await harness.dispose();
});

/** Replaces the value stored for every provider by `value`, as a hand edit of the store would. */
function damageStoredValues(value: string): void {
  const values = harness.localStore.values;
  for (const key of values.keys()) values.set(key, value);
}

async function everySighting(): Promise<string> {
  const sightings = findCanary(canary, harness.printed.join("\n"), "printed lines");
  for (const file of await harness.files()) sightings.push(...findCanary(canary, file.contents, file.path));
  return describeSightings(sightings);
}

describe("a stored credential that is not what its type needs", () => {
  for (const [type, addArguments, damaged] of [
    ["bedrock", ["--region", "us-east-1", "--model", "amazon.nova-lite-v1:0"], `{"accessKeyId": "AKIA", "secretAccessKey": "${canary}"`],
    ["bedrock", ["--region", "us-east-1", "--model", "amazon.nova-lite-v1:0"], `${canary} not json`],
    ["vertex", ["--project-id", "demo", "--location", "us-central1", "--model", "gemini-2.5-flash"], `{"private_key": "${canary}", broken`],
  ] as const) {
    it(`${type} holding ${damaged.startsWith("{") ? "broken JSON" : "plain text"}: run, run --json and verify name the problem without the value`, async () => {
      const keyFile = join(harness.folder, "credentials.json");
      await writeFile(
        keyFile,
        type === "vertex"
          ? JSON.stringify({ type: "service_account", client_email: "bot@demo.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", token_uri: "http://127.0.0.1:9/token" })
          : JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }),
      );
      const provider = await harness.add(type, ...addArguments, "--credentials-file", keyFile);
      damageStoredValues(damaged);
      const script = join(harness.folder, "ask.prose");
      await writeFile(script, `ask the model "Say hello"\n    the model provider is "${provider}"\n`);
      const plain = await harness.prose("run", script);
      const json = await harness.prose("run", script, "--json");
      const verify = await harness.prose("byom", "verify", provider, "--json");
      expect(plain.code).toBe(1);
      expect(json.code).toBe(1);
      expect(verify.code).toBe(1);
      expect(plain.err.join("\n")).toMatch(/credential of provider .* could not be used/);
      expect(JSON.parse(json.out.at(-1)!).error.message).toMatch(/credential of provider .* could not be used/);
      expect(await everySighting()).toBe("");
    });
  }
});

describe("AWS SSM's own messages", () => {
  it("a service message that echoes the value being stored, in any case or encoding, is redacted", () => {
    for (const echoed of [canary, canary.toLowerCase(), Buffer.from(canary).toString("base64"), encodeURIComponent(canary)]) {
      const error = Object.assign(new Error(`User is not authorized: value ${echoed} rejected`), { name: "AccessDeniedException", $fault: "client", $metadata: { httpStatusCode: 400 } });
      const failure = ssmStoreError(error, { action: "store", what: 'provider "p" version 1 of agent "default"', parameter: "/prose/default/p/1", operation: "PutParameter", service: "region eu-west-1", customEndpoint: false, secretValue: canary });
      expect(failure.message).toContain("AWS SSM (region eu-west-1) refused to store");
      expect(describeSightings(findCanary(canary, failure.message, echoed))).toBe("");
    }
  });
});

describe("the resolver's guard: a call's failure never carries the credential it was made with", () => {
  const stored = JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: canary, sessionToken: "FwoGZXIvYXdzEBEaDCanarySessionToken9x" });
  const failing = (problem: Error): LanguageModel => ({
    providerId: "bedrock-us",
    providerType: "bedrock",
    model: "amazon.nova-lite-v1:0",
    generate: async () => {
      throw problem;
    },
    stream: async function* () {
      yield { type: "text-delta", text: "Hel" };
      throw problem;
    },
  });

  it("redacts every secret field of the stored value from a ProviderError and from any other error, called or streamed", async () => {
    const secrets = credentialSecrets(stored);
    expect(secrets).toEqual([stored, canary, "FwoGZXIvYXdzEBEaDCanarySessionToken9x"]);
    const providerError = new ProviderError(
      { providerId: "bedrock-us", providerType: "bedrock", model: "m", kind: "authentication", isRetryable: false, status: 403, providerMessage: `token ${"FwoGZXIvYXdzEBEaDCanarySessionToken9x".toLowerCase()}`, providerCode: canary },
      `rejected: ${Buffer.from(canary).toString("base64")}`,
    );
    const plain = new TypeError(`bad header: authorization: ${canary.toLowerCase()}`);
    for (const problem of [providerError, plain]) {
      const model = new RedactingModel(failing(problem), secrets);
      const called = await model.generate({ messages: [] }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      let streamed: Error | undefined;
      try {
        for await (const _event of model.stream({ messages: [] })) void _event;
      } catch (error) {
        streamed = error as Error;
      }
      for (const error of [called!, streamed!]) {
        expect(error).toBeInstanceOf(problem.constructor);
        const shown = JSON.stringify({ ...error, message: error.message });
        expect(shown).toContain("[redacted]");
        expect(describeSightings(findCanary(canary, shown, "error"))).toBe("");
        expect(shown.toLowerCase()).not.toContain("fwogzxivyxdzebeadcanarysessiontoken9x");
      }
    }
    expect(withoutSecrets(new Error("nothing secret here"), secrets)).toBeInstanceOf(Error);
  });
});
