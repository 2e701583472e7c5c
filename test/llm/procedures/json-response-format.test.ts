import { describe, expect, it } from "vitest";
import { anthropicToolUse, startAnthropicServer } from "../../support/anthropic-server.js";
import { bedrockToolUse, startBedrockServer } from "../../support/bedrock-server.js";
import { geminiText, startGeminiServer } from "../../support/gemini-server.js";
import { openAiCompletion } from "../../support/openai-server.js";
import { closeServersAfterEachTest, keep, openAi } from "../../support/procedure-emulators.js";
import { runWithModels } from "../../support/run-with-model.js";

closeServersAfterEachTest();

const askForJson = (modelLine = "") => `ask the model "Give the vendor and its invoices as JSON"${modelLine}
    the response format is "json"
say the answer's vendor
say the number of the answer's invoices
`;

describe('§10.6: `the response format is "json"` uses the provider\'s JSON mode', () => {
  it("OpenAI: response_format json_object; the answer becomes a record", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ vendor: "Acme", invoices: [{ total: 5 }, { total: 7 }] })));
    const result = await runWithModels(askForJson(), environment);
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Acme", "2"]);
    expect((server.requests[0].body as any).response_format).toEqual({ type: "json_object" });
  });

  it("Gemini: responseMimeType application/json, without a schema", async () => {
    const server = keep(await startGeminiServer());
    server.enqueue(geminiText(JSON.stringify({ vendor: "Acme", invoices: [1, 2, 3] })));
    const result = await runWithModels(askForJson('\n    the gemini model is "gemini-2.5-flash"'), { GEMINI_API_KEY: "gm", GOOGLE_GEMINI_BASE_URL: server.url });
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Acme", "3"]);
    const config = (server.requests[0].body as any).generationConfig;
    expect(config.responseMimeType).toBe("application/json");
    expect(config.responseJsonSchema).toBeUndefined();
  });

  it("Anthropic: one forced `json_answer` tool, whose `answer` is the value", async () => {
    const server = keep(await startAnthropicServer());
    server.enqueue(anthropicToolUse("json_answer", { answer: { vendor: "Acme", invoices: [1] } }));
    const result = await runWithModels(askForJson('\n    the anthropic model is "claude-haiku-4-5"'), { ANTHROPIC_API_KEY: "sk-ant", ANTHROPIC_BASE_URL: server.url });
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Acme", "1"]);
    const body = server.requests[0].body as any;
    expect(body.tool_choice).toEqual({ type: "tool", name: "json_answer" });
    expect(body.tools[0].input_schema.required).toEqual(["answer"]);
  });

  it("Bedrock: the same forced tool through Converse", async () => {
    const server = keep(await startBedrockServer());
    server.enqueue(bedrockToolUse("json_answer", { answer: { vendor: "Acme", invoices: [1, 2] } }));
    const result = await runWithModels(askForJson('\n    the bedrock model is "amazon.nova-lite-v1:0"'), {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: server.url,
    });
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Acme", "2"]);
    expect((server.requests[0].body as any).toolConfig.toolChoice).toEqual({ tool: { name: "json_answer" } });
  });

  it("a JSON list answer is a list", async () => {
    const server = keep(await startGeminiServer());
    server.enqueue(geminiText(JSON.stringify(["red", "green", "blue"])));
    const result = await runWithModels(`ask the model "Three colours as a JSON list"\n    the gemini model is "gemini-2.5-flash"\n    the response format is "json"\nsay the number of the answer\nsay the second answer\n`, { GEMINI_API_KEY: "gm", GOOGLE_GEMINI_BASE_URL: server.url });
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["3", "green"]);
  });

  it("invalid JSON is repaired once, naming the problem", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion('{"vendor": "Acme", invoices: []}'), openAiCompletion(JSON.stringify({ vendor: "Acme", invoices: [] })));
    const result = await runWithModels(askForJson(), environment);
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Acme", "0"]);
    const repair = (server.requests[1].body as any).messages;
    expect(repair.at(-2)).toMatchObject({ role: "assistant" });
    expect(JSON.stringify(repair.at(-1))).toContain("was not valid JSON");
  });

  it("still invalid after the repair, it becomes a value question, never a third call", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("not json"), openAiCompletion("still not json"));
    const result = await runWithModels(askForJson(), environment);
    expect(result.status).toBe("waiting");
    expect(server.requests).toHaveLength(2);
    expect(result.questions[0].kind).toBe("value");
    expect(result.questions[0].text).toContain("the answer (the model's answer was not valid JSON, even after a repair request");
  });
});
