import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenAiLanguageModel } from "../../src/llm/openai/openai-language-model.js";
import { failureOf, readStream, userText } from "../support/model-calls.js";
import { openAiCompletion, openAiError, openAiStream, startOpenAiServer } from "../support/openai-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer;
beforeEach(async () => {
  server = await startOpenAiServer();
});
afterEach(async () => {
  await server.close();
});

describe("Azure OpenAI", () => {
  const azure = (endpoint: string, model = "gpt-4o") =>
    new OpenAiLanguageModel({ providerType: "azure-openai", providerId: "azure-east", model, apiKey: "azure-key-0001", endpoint, apiVersion: "2024-10-21" });

  it("calls the deployment named after the model, with the api-key header and the API version", async () => {
    server.enqueue(openAiCompletion("Bonjour", { model: "gpt-4o-2024-08-06" }));
    const result = await azure(`${server.url}/`).generate(userText("Translate hello", { temperature: 0 }));
    const [request] = server.requests;
    expect(request?.path).toBe("/openai/deployments/gpt-4o/chat/completions");
    expect(request?.query.get("api-version")).toBe("2024-10-21");
    expect(request?.headers["api-key"]).toBe("azure-key-0001");
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({ model: "gpt-4o", temperature: 0 });
    // Not marked no-training: no `store` (an older API version refuses it; reasoning-and-retention.test.ts).
    expect(request?.body).not.toHaveProperty("store");
    expect(result).toMatchObject({ text: "Bonjour", providerType: "azure-openai", providerId: "azure-east", model: "gpt-4o" });
  });

  it("streams from the deployment", async () => {
    server.enqueue(openAiStream(["Bon", "jour"]));
    const outcome = await readStream(azure(server.url), userText("Translate hello"));
    expect(outcome.result?.text).toBe("Bonjour");
    expect(server.requests[0]?.path).toBe("/openai/deployments/gpt-4o/chat/completions");
  });

  it("names the deployment and endpoint rules when the deployment is not found", async () => {
    server.enqueue(openAiError(404, { message: "The API deployment for this resource does not exist.", type: "invalid_request_error", code: "DeploymentNotFound" }));
    const error = await failureOf(azure(server.url, "gpt-4o-mini").generate(userText("Hi")));
    expect(error).toMatchObject({ status: 404, kind: "not-found", isRetryable: false, providerCode: "DeploymentNotFound" });
    expect(error.message).toContain("the deployment name equals the model id, and that the endpoint is the base resource URL");
  });

  it("refuses a deployment's Target URI as endpoint, before any request", async () => {
    const targetUri = `${server.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`;
    const error = await failureOf(azure(targetUri).generate(userText("Hi")));
    expect(error).toMatchObject({ kind: "configuration", isRetryable: false });
    expect(error.message).toContain("the endpoint must be the base resource URL (https://NAME.openai.azure.com/), not a deployment's Target URI");
    expect(server.requests).toHaveLength(0);
  });
});

describe("custom OpenAI-compatible servers", () => {
  it("uses the base URL, sends no Authorization header without a key, and only classic parameters", async () => {
    server.enqueue(openAiCompletion("hi"));
    const local = new OpenAiLanguageModel({ providerType: "custom", providerId: "custom-my-vllm-1764100945699-r6jisd", model: "gpt-5-mini", baseURL: `${server.url}/serving/v1` });
    const result = await local.generate(userText("Hi", { temperature: 0.3, maxOutputTokens: 20 }));
    const [request] = server.requests;
    expect(request?.path).toBe("/serving/v1/chat/completions");
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({
      model: "gpt-5-mini",
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      temperature: 0.3,
      max_tokens: 20,
      stream: false,
    });
    expect(result.providerType).toBe("custom");
  });

  it("sends the key as a bearer token when there is one", async () => {
    server.enqueue(openAiCompletion("hi"));
    const local = new OpenAiLanguageModel({ providerType: "custom", providerId: "custom-x", model: "llama", apiKey: "local-key", baseURL: server.url });
    await local.generate(userText("Hi"));
    expect(server.requests[0]?.headers.authorization).toBe("Bearer local-key");
  });
});
