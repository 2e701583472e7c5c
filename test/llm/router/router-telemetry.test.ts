import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OpenAiLanguageModel } from "../../../src/llm/openai/openai-language-model.js";
import { CooldownRegistry } from "../../../src/llm/router/cooldown-registry.js";
import { LimiterRegistry } from "../../../src/llm/router/limiter-registry.js";
import { ModelRouter } from "../../../src/llm/router/model-router.js";
import { targetOfModel } from "../../../src/llm/router/route-target.js";
import { userText } from "../../support/model-calls.js";
import { openAiCompletion, openAiErrors, startOpenAiServer } from "../../support/openai-server.js";
import type { ScriptedServer } from "../../support/scripted-server.js";
import { InstantClock } from "../../support/test-clocks.js";

/** The spans a user's OpenTelemetry SDK receives: one per call, one per attempt; no prompt unless asked. */
const exporter = new InMemorySpanExporter();
beforeAll(() => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
});

let server: ScriptedServer;
beforeEach(async () => {
  exporter.reset();
  server = await startOpenAiServer();
});
afterEach(async () => {
  await server.close();
});

function router(recordContent: boolean): ModelRouter {
  const model = new OpenAiLanguageModel({ providerType: "openai", providerId: "openai-main", model: "gpt-4.1-mini", apiKey: "sk-telemetry-0123456789", baseURL: `${server.url}/v1` });
  return new ModelRouter({
    planner: { plan: async () => [targetOfModel(model)] },
    labels: { agent: "bot", project: "q4", runId: "run-20261123T100000-abc123" },
    warn: () => undefined,
    clock: new InstantClock(),
    limiters: new LimiterRegistry(),
    cooldowns: new CooldownRegistry(),
    recordContent,
  });
}

describe("OpenTelemetry spans", () => {
  it("make each call a span, tagged with agent, project, provider, model, tokens and outcome, with one child per attempt", async () => {
    server.enqueue(openAiErrors.serverError(), openAiCompletion("Secret answer", { inputTokens: 21, outputTokens: 3 }));
    await (await router(false).resolve({})).generate(userText("A private prompt"));
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(["chat gpt-4.1-mini", "chat gpt-4.1-mini", "prose.model_call"]);
    const [failed, answered, call] = spans;
    expect(call.attributes).toMatchObject({
      "prose.agent": "bot",
      "prose.project": "q4",
      "prose.run_id": "run-20261123T100000-abc123",
      "prose.provider.id": "openai-main",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1-mini",
      "gen_ai.usage.input_tokens": 21,
      "gen_ai.usage.output_tokens": 3,
      "prose.outcome": "ok",
      "prose.attempts": 2,
    });
    expect(failed.attributes).toMatchObject({ "prose.outcome": "server", "http.response.status_code": 500, "prose.attempt": 1 });
    expect(failed.status.code).toBe(2);
    expect(answered.attributes).toMatchObject({ "prose.outcome": "ok", "prose.attempt": 2 });
    for (const span of [failed, answered]) expect(span.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toMatch(/private prompt|Secret answer|sk-telemetry/);
  });

  it("record the prompt and the answer only when asked", async () => {
    server.enqueue(openAiCompletion("Shown answer"));
    await (await router(true).resolve({})).generate(userText("A shown prompt"));
    const call = exporter.getFinishedSpans().find((span) => span.name === "prose.model_call")!;
    expect(String(call.attributes["gen_ai.input.messages"])).toContain("A shown prompt");
    expect(String(call.attributes["gen_ai.output.messages"])).toContain("Shown answer");
  });
});
