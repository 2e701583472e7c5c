import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GoogleLanguageModel } from "../../src/llm/google/google-language-model.js";
import type { ServiceAccountCredentials } from "../../src/llm/google/vertex-auth.js";
import { geminiStream, geminiText, googleError, googleErrors, startGeminiServer } from "../support/gemini-server.js";
import { createServiceAccount, type LocalServiceAccount, type TokenClaims, tokenEndpoint } from "../support/google-token-endpoint.js";
import { failureOf, readStream, userText } from "../support/model-calls.js";
import type { ScriptedServer } from "../support/scripted-server.js";

const accessToken = "ya29.local-access-token-0001";
let server: ScriptedServer;
let account: LocalServiceAccount;
let claims: TokenClaims[];

beforeEach(async () => {
  server = await startGeminiServer();
  account = createServiceAccount(`${server.url}/token`);
  claims = [];
  server.route("/token", tokenEndpoint(account, accessToken, claims));
});
afterEach(async () => {
  await server.close();
});

function model(credentials: ServiceAccountCredentials = account.credentials): GoogleLanguageModel {
  return new GoogleLanguageModel({
    providerType: "vertex",
    providerId: "vertex-eu",
    model: "gemini-2.5-flash",
    credentials,
    project: "demo-project",
    location: "europe-west4",
    baseUrl: server.url,
  });
}

describe("Vertex AI with a service account", () => {
  it("exchanges a signed token at the key file's token_uri, then calls the publisher model with it", async () => {
    server.enqueue(geminiText("Hallo", { inputTokens: 4, outputTokens: 1 }));
    const result = await model().generate(userText("Translate hello to German", { temperature: 0 }));

    const [tokenRequest, call] = server.requests;
    expect(tokenRequest?.path).toBe("/token");
    expect(new URLSearchParams(tokenRequest?.rawBody.toString()).get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ iss: account.credentials.client_email, scope: "https://www.googleapis.com/auth/cloud-platform" });

    expect(call?.path).toBe("/v1beta1/projects/demo-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent");
    expect(call?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(call?.headers["x-goog-api-key"]).toBeUndefined();
    expect(call?.body).toMatchObject({ generationConfig: { temperature: 0, thinkingConfig: { thinkingBudget: 0 } } });
    expect(result).toMatchObject({ text: "Hallo", providerType: "vertex", providerId: "vertex-eu", usage: { inputTokens: 4, outputTokens: 1 } });
  });

  it("reuses the access token for the next calls, streaming included", async () => {
    server.enqueue(geminiText("one"), geminiStream(["t", "wo"]));
    const vertex = model();
    await vertex.generate(userText("1"));
    const outcome = await readStream(vertex, userText("2"));
    expect(outcome.result?.text).toBe("two");
    expect(server.requests.map((request) => request.path)).toEqual([
      "/token",
      "/v1beta1/projects/demo-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent",
      "/v1beta1/projects/demo-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:streamGenerateContent",
    ]);
  });

  it("reports a key the token endpoint rejects as a credentials failure naming the fix", async () => {
    const stranger = createServiceAccount(`${server.url}/token`).credentials;
    const error = await failureOf(model({ ...stranger, client_email: account.credentials.client_email }).generate(userText("Hi")));
    expect(error).toMatchObject({ kind: "authentication", status: 400, isRetryable: false, providerCode: "invalid_grant" });
    expect(error.message).toContain('the credentials were rejected (400): check the service-account credentials of provider "vertex-eu"');
    expect(error.message).toContain("the token exchange failed: Invalid JWT Signature.");
    expect(server.requests.map((request) => request.path)).toEqual(["/token"]);
  });

  it("names the missing field of an incomplete key file, before any request", async () => {
    const { private_key: _, ...withoutKey } = account.credentials;
    const error = await failureOf(model(withoutKey as ServiceAccountCredentials).generate(userText("Hi")));
    expect(error).toMatchObject({ kind: "configuration", isRetryable: false });
    expect(error.message).toContain('the service-account JSON has no "private_key"');
    expect(server.requests).toHaveLength(0);
  });

  it("names the role a service account needs when access is denied, and never shows the key or token", async () => {
    server.enqueue(googleErrors.permissionDenied());
    const denied = await failureOf(model().generate(userText("Hi")));
    expect(denied.message).toContain("the service account needs the role roles/aiplatform.user");

    const privateKeyBody = account.credentials.private_key;
    server.enqueue(googleError(401, "UNAUTHENTICATED", `Token ${accessToken} rejected; key ${privateKeyBody}`));
    const echoed = await failureOf(model().generate(userText("Hi")));
    expect(echoed.message).not.toContain(accessToken);
    expect(echoed.message).not.toContain("PRIVATE KEY");
    expect(echoed.message).toContain("Token [redacted] rejected");
  });
});
