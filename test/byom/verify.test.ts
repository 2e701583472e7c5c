import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anthropicErrors, anthropicText } from "../support/anthropic-server.js";
import { geminiText } from "../support/gemini-server.js";
import { openAiCompletion, openAiErrors } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { ByomHarness } from "../support/byom-harness.js";
import { updateAgentConfig } from "../../src/byom/config-files.js";

const openAiKey = "sk-verify-openai-0123456789abcdefghij";
const anthropicKey = "sk-ant-verify-0123456789abcdefghijkl";

let harness: ByomHarness;
let server: ScriptedServer;
beforeEach(async () => {
  harness = await ByomHarness.create();
  server = await startScriptedServer();
  harness.environment = { OPENAI_KEY: openAiKey, ANTHROPIC_KEY: anthropicKey, GEMINI_KEY: "AIza-verify-key-for-tests" };
});
afterEach(async () => {
  await server.close();
  await harness.dispose();
});

describe("prose byom verify", () => {
  it("makes one minimal call per model and reports each as ok, then marks them verified", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--model", "gpt-4.1-mini", "--fallback-model", "gpt-4.1-nano", "--api-key-env", "OPENAI_KEY");
    server.enqueue(openAiCompletion("OK"), openAiCompletion("OK"));
    const outcome = await harness.prose("byom", "verify", id);
    const noControl = "    reasoning: no control (not a reasoning model: no reasoning_effort sent)";
    expect(outcome).toEqual({ code: 0, out: [`OpenAI gpt-4.1-mini (${id}):`, "  gpt-4.1-mini: ok", noControl, "  gpt-4.1-nano: ok", noControl, "All 2 models answered."], err: [] });
    expect(server.requests.map((request) => [(request.body as { model: string }).model, request.headers.authorization])).toEqual([
      ["gpt-4.1-mini", `Bearer ${openAiKey}`],
      ["gpt-4.1-nano", `Bearer ${openAiKey}`],
    ]);
    expect(server.requests[0].body).toMatchObject({ max_completion_tokens: 16 });
    const models = ((await harness.agentFile()).providers as Array<{ models: unknown[] }>)[0].models;
    expect(models).toEqual([
      { id: "gpt-4.1-mini", role: "primary", verified: true, verifiedAt: expect.stringMatching(/Z$/) },
      { id: "gpt-4.1-nano", role: "fallback", verified: true, verifiedAt: expect.stringMatching(/Z$/) },
    ]);
    expect((await harness.prose("byom", "show", id)).out).toContain(`  gpt-4.1-mini  primary, verified ${(models[0] as { verifiedAt: string }).verifiedAt}`);
  });

  it("reports a rejected key in plain words, exits 1, and never shows the key", async () => {
    const id = await harness.add("anthropic", "--base-url", server.url, "--api-key-env", "ANTHROPIC_KEY");
    server.enqueue(anthropicErrors.invalidKey(anthropicKey));
    const outcome = await harness.prose("byom", "verify", id);
    expect(outcome.code).toBe(1);
    expect(outcome.out).toEqual([
      `Anthropic claude-haiku-4-5 (${id}):`,
      `  claude-haiku-4-5: the key was rejected (401): check the API key of provider "${id}". The provider said: "invalid x-api-key: [redacted]"`,
      "    reasoning: off (thinking disabled)",
      "1 of 1 model failed.",
    ]);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${anthropicKey}`);
    for (const line of harness.printed) expect(line).not.toContain(anthropicKey);
  });

  it("reports each model on its own, with --json", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--model", "gpt-4o", "--model", "gpt-4o-mini", "--api-key-env", "OPENAI_KEY");
    server.enqueue(openAiCompletion("OK"), openAiErrors.invalidKey(openAiKey));
    const outcome = await harness.prose("byom", "verify", id, "--json");
    expect(outcome.code).toBe(1);
    expect(outcome.out).toHaveLength(1);
    expect(JSON.parse(outcome.out[0])).toEqual({
      id,
      agent: "default",
      ok: false,
      models: [
        { model: "gpt-4o", ok: true, message: "ok", warnings: [], reasoning: "none", reasoningDetail: "not a reasoning model: no reasoning_effort sent" },
        {
          model: "gpt-4o-mini",
          ok: false,
          status: 401,
          message: `the key was rejected (401): check the API key of provider "${id}". The provider said: "Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys."`,
          warnings: [],
          reasoning: "none",
          reasoningDetail: "not a reasoning model: no reasoning_effort sent",
        },
      ],
    });
    expect(outcome.out[0]).not.toContain(openAiKey);
    const models = ((await harness.agentFile()).providers as Array<{ models: Array<{ verified: boolean }> }>)[0].models;
    expect(models.map((model) => model.verified)).toEqual([true, false]);
  });

  it("says when a model cannot turn its reasoning off", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--model", "o1-mini", "--api-key-env", "OPENAI_KEY");
    server.enqueue(openAiCompletion("OK"));
    const outcome = await harness.prose("byom", "verify", id);
    expect(outcome.out).toContain('    note: Model "o1-mini" accepts no reasoning effort; it reasons at its default effort.');
  });

  it("reports per model whether reasoning was turned off, from what the request carried", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--model", "gpt-5.1", "--model", "gpt-5-mini", "--model", "o1-mini", "--model", "gpt-4.1-mini", "--api-key-env", "OPENAI_KEY");
    server.enqueue(openAiCompletion("OK"), openAiCompletion("OK"), openAiCompletion("OK"), openAiCompletion("OK"));
    const outcome = await harness.prose("byom", "verify", id);
    expect(outcome.out.slice(1)).toEqual([
      "  gpt-5.1: ok",
      '    reasoning: off (reasoning_effort "none")',
      "  gpt-5-mini: ok",
      '    reasoning: cannot be turned off; lowest sent (reasoning_effort "minimal")',
      "  o1-mini: ok",
      "    reasoning: cannot be lowered; the model reasons at its default (it accepts no reasoning_effort: none sent)",
      '    note: Model "o1-mini" accepts no reasoning effort; it reasons at its default effort.',
      "  gpt-4.1-mini: ok",
      "    reasoning: no control (not a reasoning model: no reasoning_effort sent)",
      "All 4 models answered.",
    ]);
    expect(server.requests.map((request) => (request.body as { reasoning_effort?: string }).reasoning_effort)).toEqual(["none", "minimal", undefined, undefined]);
  });

  it("reports reasoning low as sent, in words and with --json", async () => {
    const id = await harness.add("anthropic", "--base-url", server.url, "--api-key-env", "ANTHROPIC_KEY");
    // As `byom edit --reasoning low` writes it.
    await updateAgentConfig(harness.workspace, "default", (config) => {
      const provider = config.providers.find((candidate) => candidate.id === id);
      if (provider !== undefined) provider.reasoning = "low";
    });
    server.enqueue(anthropicText("OK"), anthropicText("OK"));
    expect((await harness.prose("byom", "verify", id)).out[2]).toBe("    reasoning: low (thinking enabled, budget_tokens 1024)");
    const json = JSON.parse((await harness.prose("byom", "verify", id, "--json")).out[0]) as { models: unknown[] };
    expect(json.models).toEqual([{ model: "claude-haiku-4-5", ok: true, message: "ok", warnings: [], reasoning: "low", reasoningDetail: "thinking enabled, budget_tokens 1024" }]);
    expect(server.requests.map((request) => (request.body as { thinking?: unknown; max_tokens?: number }))).toMatchObject([
      { thinking: { type: "enabled", budget_tokens: 1024 }, max_tokens: 1040 },
      { thinking: { type: "enabled", budget_tokens: 1024 }, max_tokens: 1040 },
    ]);
  });

  it("verifies Gemini and Anthropic providers through their own APIs", async () => {
    const gemini = await harness.add("gemini", "--base-url", server.url, "--api-key-env", "GEMINI_KEY");
    const anthropic = await harness.add("anthropic", "--base-url", server.url, "--api-key-env", "ANTHROPIC_KEY");
    server.enqueue(geminiText("OK"), anthropicText("OK"));
    expect((await harness.prose("byom", "verify", gemini)).code).toBe(0);
    expect((await harness.prose("byom", "verify", anthropic)).code).toBe(0);
    expect(server.requests.map((request) => request.path)).toEqual(["/v1beta/models/gemini-2.5-flash:generateContent", "/v1/messages"]);
  });

  it("reports a server failure and an unreachable provider", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--api-key-env", "OPENAI_KEY");
    server.enqueue(openAiErrors.serverError());
    const failed = await harness.prose("byom", "verify", id);
    expect(failed.out[1]).toMatch(/^ {2}gpt-4\.1-mini: the provider failed \(500\), retry later/);
    const unreachable = await harness.add("openai", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "OPENAI_KEY");
    expect((await harness.prose("byom", "verify", unreachable)).out[1]).toMatch(/^ {2}gpt-4\.1-mini: the provider could not be reached/);
  });
});
