import { afterEach, describe, expect, it } from "vitest";
import { AnthropicLanguageModel } from "../../src/llm/anthropic/anthropic-language-model.js";
import { BedrockLanguageModel } from "../../src/llm/bedrock/bedrock-language-model.js";
import { GoogleLanguageModel } from "../../src/llm/google/google-language-model.js";
import type { LanguageModel } from "../../src/llm/language-model.js";
import { OpenAiLanguageModel } from "../../src/llm/openai/openai-language-model.js";
import { anthropicError } from "../support/anthropic-server.js";
import { bedrockError, startBedrockServer } from "../support/bedrock-server.js";
import { googleError } from "../support/gemini-server.js";
import { failureOf, readStream, userText } from "../support/model-calls.js";
import { openAiError } from "../support/openai-server.js";
import { type ScriptedResponse, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { describeSightings, echoedForms, findCanary } from "../support/canary-forms.js";

/** Each adapter's own error body shape, echoing the key: the message and every field of the error are redacted. */
const key = "sk-AdapterCanary9Qm2Xv7/Lp4+Tz8KwR3nBd";
const awsSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYCanary9Zq";

let servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

interface AdapterCase {
  name: string;
  secret: string;
  start(): Promise<ScriptedServer>;
  model(server: ScriptedServer): LanguageModel;
  errorBody(status: number, message: string): ScriptedResponse;
}

const adapters: AdapterCase[] = [
  {
    name: "OpenAI",
    secret: key,
    start: () => startScriptedServer(),
    model: (server) => new OpenAiLanguageModel({ providerId: "openai", providerType: "openai", model: "gpt-4.1-mini", apiKey: key, baseURL: `${server.url}/v1` }),
    errorBody: (status, message) => openAiError(status, { message, type: "invalid_request_error", code: message.slice(0, 60) }),
  },
  {
    name: "Anthropic",
    secret: key,
    start: () => startScriptedServer(),
    model: (server) => new AnthropicLanguageModel({ providerId: "claude", model: "claude-haiku-4-5", apiKey: key, baseURL: server.url }),
    errorBody: (status, message) => anthropicError(status, status === 401 ? "authentication_error" : status === 400 ? "invalid_request_error" : "api_error", message),
  },
  {
    name: "Gemini",
    secret: key,
    start: () => startScriptedServer(),
    model: (server) => new GoogleLanguageModel({ providerType: "gemini", providerId: "gemini", model: "gemini-2.5-flash", apiKey: key, baseUrl: server.url }),
    errorBody: (status, message) => googleError(status, status === 401 ? "UNAUTHENTICATED" : status === 400 ? "INVALID_ARGUMENT" : "INTERNAL", message),
  },
  {
    name: "Bedrock",
    secret: awsSecret,
    start: () => startBedrockServer(),
    model: (server) =>
      new BedrockLanguageModel({ providerId: "bedrock", model: "amazon.nova-lite-v1:0", region: "us-east-1", endpoint: server.url, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: awsSecret } }),
    errorBody: (status, message) => bedrockError(status, status === 400 ? "ValidationException" : status === 401 ? "UnrecognizedClientException" : "InternalServerException", message),
  },
];

describe("each adapter's error body echoing the key in any form", () => {
  for (const adapter of adapters) {
    it(`${adapter.name}: 400, 401 and 500 bodies, called and streamed`, async () => {
      const server = await adapter.start();
      servers.push(server);
      const model = adapter.model(server);
      const sightings = [];
      let redactions = 0;
      for (const [formName, echoed] of Object.entries(echoedForms(adapter.secret))) {
        for (const status of [400, 401, 500]) {
          server.enqueue(adapter.errorBody(status, `upstream said: ${echoed}`), adapter.errorBody(status, `upstream said: ${echoed}`));
          const called = await failureOf(model.generate({ ...userText("Hi"), maxRetries: 0 }));
          const streamed = (await readStream(model, { ...userText("Hi"), maxRetries: 0 })).error;
          expect(streamed, `${adapter.name} ${formName} ${status} streamed`).toBeDefined();
          for (const error of [called, streamed!]) {
            expect(error.status).toBe(status);
            const shown = JSON.stringify({ message: error.message, providerMessage: error.providerMessage, providerCode: error.providerCode, error });
            sightings.push(...findCanary(adapter.secret, shown, `${adapter.name} ${formName} ${status}`));
            if (error.message.includes("[redacted]")) redactions += 1;
          }
        }
      }
      expect(sightings, describeSightings(sightings)).toEqual([]);
      // The bodies were read and shown (redacted), not dropped.
      expect(redactions).toBe(Object.keys(echoedForms(adapter.secret)).length * 3 * 2);
    });
  }
});
