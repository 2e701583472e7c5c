import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GenerateRequest, StreamEvent } from "../../../src/llm/language-model.js";
import { ModelResolutionError } from "../../../src/llm/model-resolver.js";
import { OpenAiLanguageModel } from "../../../src/llm/openai/openai-language-model.js";
import { ProviderError } from "../../../src/llm/provider-error.js";
import { CooldownRegistry } from "../../../src/llm/router/cooldown-registry.js";
import { LimiterRegistry } from "../../../src/llm/router/limiter-registry.js";
import { ModelRouter } from "../../../src/llm/router/model-router.js";
import { type CallLimits, type RouteTarget, type TargetRole, targetOfModel } from "../../../src/llm/router/route-target.js";
import type { UsageRecord } from "../../../src/llm/router/usage-record.js";
import { failureOf, userText } from "../../support/model-calls.js";
import { openAiCompletion, openAiError, openAiErrors, openAiStream, startOpenAiServer } from "../../support/openai-server.js";
import { malformedJson, type ScriptedResponse, type ScriptedServer } from "../../support/scripted-server.js";
import { InstantClock } from "../../support/test-clocks.js";

/**
 * Fault injection: the router in front of the real OpenAI adapter and SDK, against local servers
 * that answer from a script. The clock's sleeps end at once (their lengths are kept), so backoff
 * and cooldowns cost no real time. Each test checks what the caller got, what each server
 * received, in order, and the usage records written.
 */
let primaryServer: ScriptedServer;
let fallbackServer: ScriptedServer;
beforeEach(async () => {
  [primaryServer, fallbackServer] = await Promise.all([startOpenAiServer(), startOpenAiServer()]);
});
afterEach(async () => {
  await Promise.all([primaryServer.close(), fallbackServer.close()]);
});

function target(server: ScriptedServer, providerId: string, model: string, role: TargetRole = "primary", limits: CallLimits = {}): RouteTarget {
  return targetOfModel(new OpenAiLanguageModel({ providerType: "openai", providerId, model, apiKey: "sk-router-test-0123456789", baseURL: `${server.url}/v1` }), role, limits);
}

function primary(limits: CallLimits = {}): RouteTarget {
  return target(primaryServer, "openai-main", "gpt-4.1-mini", "primary", limits);
}

function fallback(limits: CallLimits = {}): RouteTarget {
  return target(fallbackServer, "openai-backup", "gpt-4.1-nano", "fallback-chain", limits);
}

interface Harness {
  router: ModelRouter;
  records: UsageRecord[];
  warnings: string[];
  clock: InstantClock;
  call(request?: GenerateRequest): Promise<string>;
}

function harness(targets: RouteTarget[], shared: { cooldowns?: CooldownRegistry; clock?: InstantClock } = {}): Harness {
  const records: UsageRecord[] = [];
  const warnings: string[] = [];
  const clock = shared.clock ?? new InstantClock();
  const router = new ModelRouter({
    planner: { plan: async () => targets },
    labels: { agent: "bot", project: "q4", runId: "run-20261123T100000-abc123" },
    warn: (message) => warnings.push(message),
    usage: { record: (record) => records.push(record) },
    clock,
    random: () => 0.5,
    limiters: new LimiterRegistry(),
    cooldowns: shared.cooldowns ?? new CooldownRegistry(),
  });
  const call = async (request = userText("Say hello")) => (await (await router.resolve({})).generate(request)).text;
  return { router, records, warnings, clock, call };
}

/** What the usage records say, in short: model, outcome, attempt, fallback-from. */
function attempts(records: UsageRecord[]): string[] {
  return records.map((record) => `${record.model} ${record.outcome} #${record.attempt}${record.fallbackFrom === null ? "" : ` from ${record.fallbackFrom.model}`}`);
}

const ok = (text = "Hello!") => openAiCompletion(text, { inputTokens: 1000, outputTokens: 500 });

describe("retries", () => {
  it("429 with Retry-After, 429 without, then 200: waits as told, then with jitter, and answers", async () => {
    const { call, records, clock, warnings } = harness([primary()]);
    primaryServer.enqueue(openAiErrors.rateLimited(1), openAiError(429, { message: "Too many requests", type: "requests" }), ok());
    expect(await call()).toBe("Hello!");
    expect(primaryServer.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([1000, 500]);
    expect(attempts(records)).toEqual(["gpt-4.1-mini rate-limit #1", "gpt-4.1-mini rate-limit #2", "gpt-4.1-mini ok #3"]);
    expect(records.map((record) => record.status)).toEqual([429, 429, null]);
    expect(records[2]).toMatchObject({
      runId: "run-20261123T100000-abc123",
      agent: "bot",
      project: "q4",
      providerId: "openai-main",
      providerType: "openai",
      inputTokens: 1000,
      outputTokens: 500,
      costUsd: 0.0012,
      call: 1,
      fallbackFrom: null,
    });
    expect(records[0]).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: 0 });
    expect(warnings).toEqual([]);
  });

  const failures: Array<[string, ScriptedResponse, string]> = [
    ["429 without Retry-After", openAiError(429, { message: "Slow down", type: "requests" }), "rate-limit"],
    ["408", openAiError(408, { message: "Request timed out", type: "timeout" }), "timeout"],
    ["500", openAiErrors.serverError(), "server"],
    ["503", openAiErrors.overloaded(), "server"],
    ["529 overloaded", openAiError(529, { message: "Overloaded", type: "overloaded_error" }), "overloaded"],
    ["a connection reset", { destroy: true }, "connection"],
    ["malformed JSON", malformedJson(), "malformed-response"],
  ];
  for (const [name, failure, outcome] of failures) {
    it(`retries after ${name}`, async () => {
      const { call, records } = harness([primary()]);
      primaryServer.enqueue(failure, ok());
      expect(await call()).toBe("Hello!");
      expect(primaryServer.requests).toHaveLength(2);
      expect(attempts(records)).toEqual([`gpt-4.1-mini ${outcome} #1`, "gpt-4.1-mini ok #2"]);
    });
  }

  it("retries a slow server past the call's timeout", async () => {
    const { call, records } = harness([primary()]);
    primaryServer.enqueue({ ...ok("too late"), delayMilliseconds: 1000 } as ScriptedResponse, ok());
    expect(await call(userText("Say hello", { timeoutMilliseconds: 150 }))).toBe("Hello!");
    expect(primaryServer.requests).toHaveLength(2);
    expect(attempts(records)).toEqual(["gpt-4.1-mini timeout #1", "gpt-4.1-mini ok #2"]);
    expect(records[0].latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("uses the provider configuration's timeout when the call gives none", async () => {
    const { call, records } = harness([primary({ timeoutSeconds: 0.15 })]);
    primaryServer.enqueue({ ...ok("too late"), delayMilliseconds: 1000 } as ScriptedResponse, ok());
    expect(await call()).toBe("Hello!");
    expect(attempts(records)).toEqual(["gpt-4.1-mini timeout #1", "gpt-4.1-mini ok #2"]);
  });

  it("retries a stream cut after 3 chunks, telling the reader to start the text over", async () => {
    const { router, records } = harness([primary()]);
    primaryServer.enqueue(openAiStream(["one ", "two ", "three ", "four"], { cutAfter: 3 }), openAiStream(["one ", "two ", "three ", "four"]));
    const events: StreamEvent[] = [];
    for await (const event of (await router.resolve({})).stream(userText("Count"))) events.push(event);
    const shown = events.map((event) => (event.type === "text-delta" ? event.text : event.type === "restart" ? "<restart>" : `<finish ${event.result.text}>`));
    expect(shown).toEqual(["one ", "two ", "<restart>", "one ", "two ", "three ", "four", "<finish one two three four>"]);
    expect(primaryServer.requests).toHaveLength(2);
    expect(primaryServer.requests.map((request) => (request.body as { stream: boolean }).stream)).toEqual([true, true]);
    expect(attempts(records)).toEqual(["gpt-4.1-mini stream-cut #1", "gpt-4.1-mini ok #2"]);
  });

  it("gives up after the configured retries, and a call's own retries win", async () => {
    const first = harness([primary({ maxRetries: 0 })]);
    primaryServer.enqueue(openAiErrors.serverError());
    expect((await failureOf(first.call())).kind).toBe("server");
    expect(primaryServer.requests).toHaveLength(1);
    const second = harness([primary({ maxRetries: 0 })]);
    primaryServer.enqueue(openAiErrors.serverError(), ok());
    expect(await second.call(userText("Hi", { maxRetries: 1 }))).toBe("Hello!");
    expect(primaryServer.requests).toHaveLength(3);
  });
});

describe("failing at once", () => {
  const final: Array<[number, ScriptedResponse, RegExp]> = [
    [400, openAiErrors.badRequest(), /the request was rejected \(400\): change the part of the call the provider names/],
    [401, openAiErrors.invalidKey(), /the key was rejected \(401\): check the API key of provider "openai-main"/],
    [403, openAiError(403, { message: "Project does not have access to model", type: "invalid_request_error" }), /access was denied \(403\): the API key of provider "openai-main" may not use model "gpt-4.1-mini"/],
    [404, openAiError(404, { message: "The model does not exist", type: "invalid_request_error", code: "model_not_found" }), /not found \(404\): check that model "gpt-4.1-mini" exists for provider "openai-main"/],
  ];
  for (const [status, response, fix] of final) {
    it(`${status} fails the call at once, naming provider, model and fix, without retry or fallback`, async () => {
      const { call, records, warnings } = harness([primary(), fallback()]);
      primaryServer.enqueue(response);
      const error = await failureOf(call());
      expect(error.status).toBe(status);
      expect(error.message).toMatch(/^Provider "openai-main" \(openai\), model "gpt-4\.1-mini": /);
      expect(error.message).toMatch(fix);
      expect(primaryServer.requests).toHaveLength(1);
      expect(fallbackServer.requests).toHaveLength(0);
      expect(records.map((record) => record.status)).toEqual([status]);
      expect(warnings).toEqual([]);
    });
  }
});

describe("fallback", () => {
  it("500 forever with a working fallback: the retries, then the fallback answers", async () => {
    const { router, call, records, warnings } = harness([primary(), target(primaryServer, "openai-main", "gpt-4.1-nano", "fallback-model"), fallback()]);
    primaryServer.route("/v1/chat/completions", () => openAiErrors.serverError());
    fallbackServer.enqueue(ok("From the backup"));
    expect(await call()).toBe("From the backup");
    const models = primaryServer.requests.map((request) => (request.body as { model: string }).model);
    expect(models).toEqual(["gpt-4.1-mini", "gpt-4.1-mini", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4.1-nano", "gpt-4.1-nano"]);
    expect(fallbackServer.requests).toHaveLength(1);
    expect(attempts(records)).toEqual([
      "gpt-4.1-mini server #1",
      "gpt-4.1-mini server #2",
      "gpt-4.1-mini server #3",
      "gpt-4.1-nano server #4 from gpt-4.1-mini",
      "gpt-4.1-nano server #5 from gpt-4.1-mini",
      "gpt-4.1-nano server #6 from gpt-4.1-mini",
      "gpt-4.1-nano ok #7 from gpt-4.1-mini",
    ]);
    expect(records[6].providerId).toBe("openai-backup");
    expect(warnings.filter((warning) => warning.includes("Trying"))).toEqual([
      expect.stringMatching(/^Provider "openai-main" \(openai\), model "gpt-4\.1-mini": the provider failed \(500\).* Trying provider "openai-main" \(openai\), model "gpt-4\.1-nano" instead\.$/),
      expect.stringMatching(/model "gpt-4\.1-nano": the provider failed \(500\).* Trying provider "openai-backup" \(openai\), model "gpt-4\.1-nano" instead\.$/),
    ]);
    expect(router.totals).toMatchObject({ attempts: 7, failedAttempts: 6, inputTokens: 1000, outputTokens: 500 });
  });

  it("skips a fallback that cannot be used (no credential) with a warning, and goes on down the chain", async () => {
    const broken: RouteTarget = {
      ...fallback(),
      providerId: "anthropic-support",
      providerType: "anthropic",
      model: "claude-haiku-4-5",
      open: async () => {
        throw new ModelResolutionError('The credential of provider "anthropic-support" (agent "bot") could not be read: no secret is stored for it.');
      },
    };
    const { call, records, warnings } = harness([primary({ maxRetries: 0 }), broken, fallback()]);
    primaryServer.enqueue(openAiErrors.overloaded());
    fallbackServer.enqueue(ok("Backup"));
    expect(await call()).toBe("Backup");
    expect(warnings).toContain('The fallback provider "anthropic-support" (anthropic), model "claude-haiku-4-5" was skipped: The credential of provider "anthropic-support" (agent "bot") could not be read: no secret is stored for it.');
    expect(attempts(records)).toEqual(["gpt-4.1-mini server #1", "gpt-4.1-nano ok #2 from gpt-4.1-mini"]);
  });

  it("skips a fallback whose key is rejected, and reports every failure when nothing answers", async () => {
    const { call, records, warnings } = harness([primary({ maxRetries: 0 }), fallback()]);
    primaryServer.enqueue(openAiErrors.serverError());
    fallbackServer.enqueue(openAiErrors.invalidKey());
    const error = await failureOf(call());
    expect(error).toMatchObject({ providerId: "openai-main", kind: "server", status: 500 });
    expect(error.message).toMatch(/^Provider "openai-main" \(openai\), model "gpt-4\.1-mini": the provider failed \(500\).* Its fallbacks failed too: Provider "openai-backup" \(openai\), model "gpt-4\.1-nano": the key was rejected \(401\)/);
    expect(warnings.at(-1)).toMatch(/^The fallback provider "openai-backup" \(openai\), model "gpt-4\.1-nano" was skipped: .*the key was rejected \(401\)/);
    expect(attempts(records)).toEqual(["gpt-4.1-mini server #1", "gpt-4.1-nano authentication #2 from gpt-4.1-mini"]);
  });

  it("does not wait out a Retry-After longer than a call waits: it falls back, and others pass the model over meanwhile", async () => {
    const cooldowns = new CooldownRegistry();
    const { call, records, clock } = harness([primary(), fallback()], { cooldowns });
    primaryServer.enqueue(openAiErrors.rateLimited(120));
    fallbackServer.enqueue(ok("Backup"), ok("Backup again"));
    expect(await call()).toBe("Backup");
    expect(clock.sleeps).toEqual([]);
    expect(await call()).toBe("Backup again");
    expect(primaryServer.requests).toHaveLength(1);
    expect(attempts(records)).toEqual(["gpt-4.1-mini rate-limit #1", "gpt-4.1-nano ok #2 from gpt-4.1-mini", "gpt-4.1-nano ok #1 from gpt-4.1-mini"]);
  });
});

describe("cooldown", () => {
  it("opens the circuit of a model that keeps failing: calls go straight to the fallback, and the model is tried again after the cooldown", async () => {
    const cooldowns = new CooldownRegistry({ failuresToOpen: 3, cooldownMilliseconds: 30_000, maxCooldownMilliseconds: 300_000 });
    const clock = new InstantClock();
    const first = harness([primary(), fallback()], { cooldowns, clock });
    primaryServer.enqueue(openAiErrors.serverError(), openAiErrors.serverError(), openAiErrors.serverError());
    fallbackServer.enqueue(ok("Backup 1"), ok("Backup 2"));
    expect(await first.call()).toBe("Backup 1");
    expect(first.warnings[0]).toBe('provider "openai-main" (openai), model "gpt-4.1-mini" keeps failing: calls with fallbacks leave it alone for 30 s, then try it again.');

    // Another run in the same process, during the cooldown: the primary is not called at all.
    const second = harness([primary(), fallback()], { cooldowns, clock });
    expect(await second.call()).toBe("Backup 2");
    expect(primaryServer.requests).toHaveLength(3);
    expect(attempts(second.records)).toEqual(["gpt-4.1-nano ok #1 from gpt-4.1-mini"]);

    // After the cooldown it is tried again, and a success closes the circuit.
    clock.advance(30_000);
    primaryServer.enqueue(ok("Primary is back"));
    expect(await second.call()).toBe("Primary is back");
    expect(primaryServer.requests).toHaveLength(4);
    expect(fallbackServer.requests).toHaveLength(2);
  });

  it("still tries a cooling model last when its fallbacks cannot answer", async () => {
    const cooldowns = new CooldownRegistry({ failuresToOpen: 1, cooldownMilliseconds: 30_000, maxCooldownMilliseconds: 300_000 });
    const broken: RouteTarget = { ...fallback(), open: async () => Promise.reject(new ModelResolutionError("the provider is disabled")) };
    const { call, records } = harness([primary({ maxRetries: 0 }), broken], { cooldowns });
    primaryServer.enqueue(openAiErrors.serverError(), ok("Only one left"));
    expect((await failureOf(call())).kind).toBe("server");
    expect(await call()).toBe("Only one left");
    expect(attempts(records)).toEqual(["gpt-4.1-mini server #1", "gpt-4.1-mini ok #1"]);
  });
});

describe("cancellation", () => {
  it("aborts the request in flight, records the attempt, and neither retries nor falls back", async () => {
    const { call, records } = harness([primary(), fallback()]);
    primaryServer.enqueue({ ...ok("never"), delayMilliseconds: 5000 } as ScriptedResponse);
    const controller = new AbortController();
    const started = Date.now();
    const pending = failureOf(call(userText("Hi", { signal: controller.signal })));
    while (primaryServer.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fallbackServer.requests).toHaveLength(0);
    expect(attempts(records)).toEqual(["gpt-4.1-mini aborted #1"]);
  });
});
