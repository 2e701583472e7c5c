import { describe, expect, it } from "vitest";
import type { GenerateRequest, GenerateResult, LanguageModel } from "../../../src/llm/language-model.js";
import { providerErrorFromFailure } from "../../../src/llm/provider-error.js";
import { CooldownRegistry } from "../../../src/llm/router/cooldown-registry.js";
import { cooldownKey, type CooldownStore } from "../../../src/llm/router/cooldown-store.js";
import { LimiterRegistry } from "../../../src/llm/router/limiter-registry.js";
import { ModelRouter } from "../../../src/llm/router/model-router.js";
import type { Permit, RateLimiter, RateLimiterSource, RateLimits } from "../../../src/llm/router/rate-limiter-source.js";
import { type CallLimits, type RouteTarget, type TargetRole, targetOfModel } from "../../../src/llm/router/route-target.js";
import { userText } from "../../support/model-calls.js";
import { InstantClock } from "../../support/test-clocks.js";

/**
 * The router's shared state is passed in behind two interfaces with asynchronous methods, so a
 * store other than this process's memory (Redis, say) can keep the limits and cooldowns. These
 * stores answer a macrotask later, as a remote one would, and log what the router asked.
 */
const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)));

/** A model that answers "from <model>" with 10 + 5 tokens, or fails with a retryable server error while `failing`. */
function fakeModel(providerId: string, model: string, calls: string[], failing = { now: false }): LanguageModel {
  const identity = { providerId, providerType: "openai" as const, model };
  return {
    ...identity,
    generate: async (_request: GenerateRequest): Promise<GenerateResult> => {
      calls.push(model);
      if (failing.now) throw providerErrorFromFailure({ ...identity, secrets: [] }, { kind: "server" });
      return { text: `from ${model}`, usage: { inputTokens: 10, outputTokens: 5 }, finishReason: "stop", warnings: [], ...identity };
    },
    stream: () => {
      throw new Error("not streamed here");
    },
  };
}

function target(model: LanguageModel, role: TargetRole = "primary", limits: CallLimits = {}): RouteTarget {
  return targetOfModel(model, role, limits);
}

function routerWith(targets: RouteTarget[], state: { limiters?: RateLimiterSource; cooldowns?: CooldownStore }, warnings: string[] = []): ModelRouter {
  return new ModelRouter({
    planner: { plan: async () => targets },
    labels: { agent: "bot" },
    warn: (message) => warnings.push(message),
    clock: new InstantClock(),
    random: () => 0.5,
    limiters: state.limiters ?? new LimiterRegistry(),
    cooldowns: state.cooldowns ?? new CooldownRegistry(),
  });
}

/** A limiter source whose permits are granted by the test, and whose releases are logged. */
class RemoteLimiters implements RateLimiterSource {
  readonly log: string[] = [];
  grant: (() => void) | undefined;
  releaseAnswer: () => Promise<void> = () => later(undefined);

  limiterFor(providerId: string, limits: RateLimits): RateLimiter | undefined {
    this.log.push(`limiterFor ${providerId} rpm=${limits.requestsPerMinute}`);
    return {
      acquire: (estimatedTokens) => {
        this.log.push(`acquire ${estimatedTokens}`);
        return new Promise<Permit>((resolve) => {
          this.grant = () =>
            resolve({
              waitedMilliseconds: 0,
              release: (usedTokens) => {
                this.log.push(`release ${usedTokens}`);
                return this.releaseAnswer();
              },
            });
        });
      },
    };
  }
}

/** A cooldown store a macrotask away, over the in-memory one, logging each question. */
class RemoteCooldowns implements CooldownStore {
  readonly log: string[] = [];
  private readonly inner = new CooldownRegistry({ failuresToOpen: 1, cooldownMilliseconds: 30_000, maxCooldownMilliseconds: 300_000 });

  async coolingUntil(key: string, now: number) {
    this.log.push(`coolingUntil ${key.replace("\u0000", "/")}`);
    return later(await this.inner.coolingUntil(key, now));
  }
  async recordSuccess(key: string) {
    this.log.push(`recordSuccess ${key.replace("\u0000", "/")}`);
    return later(await this.inner.recordSuccess(key));
  }
  async recordFailure(key: string, now: number, retryAfterMilliseconds?: number) {
    this.log.push(`recordFailure ${key.replace("\u0000", "/")}`);
    return later(await this.inner.recordFailure(key, now, retryAfterMilliseconds));
  }
  async open(key: string, now: number, milliseconds: number) {
    this.log.push(`open ${key.replace("\u0000", "/")}`);
    return later(await this.inner.open(key, now, milliseconds));
  }
}

describe("a rate limiter source passed in", () => {
  it("holds the call until its permit is granted, then releases it with the tokens used, without waiting for the release", async () => {
    const calls: string[] = [];
    const limiters = new RemoteLimiters();
    limiters.releaseAnswer = () => new Promise<void>(() => undefined); // a release that never ends
    const router = routerWith([target(fakeModel("openai-main", "gpt-4.1-mini", calls), "primary", { requestsPerMinute: 60, tokensPerMinute: 6000 })], { limiters });
    const model = await router.resolve({});
    const answer = model.generate(userText("a".repeat(40)));
    await later(undefined);
    expect(calls).toEqual([]);
    expect(limiters.log).toEqual(["limiterFor openai-main rpm=60", "acquire 10"]);
    limiters.grant!();
    expect((await answer).text).toBe("from gpt-4.1-mini");
    expect(limiters.log).toEqual(["limiterFor openai-main rpm=60", "acquire 10", "release 15"]);
  });

  it("says a release that fails, and the call still answers", async () => {
    const warnings: string[] = [];
    const limiters = new RemoteLimiters();
    limiters.releaseAnswer = () => Promise.reject(new Error("the limits store cannot be reached"));
    const router = routerWith([target(fakeModel("openai-main", "gpt-4.1-mini", []), "primary", { concurrency: 1 })], { limiters }, warnings);
    const answer = (await router.resolve({})).generate(userText("Hi"));
    while (limiters.grant === undefined) await later(undefined);
    limiters.grant();
    expect((await answer).text).toBe("from gpt-4.1-mini");
    await later(undefined);
    expect(warnings).toEqual(["The limits could not be updated after a call: the limits store cannot be reached"]);
  });
});

describe("a cooldown store passed in", () => {
  it("is asked before each model with a later one, told of failures and successes, and a cooling model is passed over", async () => {
    const calls: string[] = [];
    const cooldowns = new RemoteCooldowns();
    const failing = { now: true };
    const targets = [target(fakeModel("openai-main", "gpt-4.1-mini", calls, failing)), target(fakeModel("openai-backup", "gpt-4.1-nano", calls), "fallback-chain")];
    const first = routerWith(targets, { cooldowns });
    expect((await (await first.resolve({})).generate(userText("Hi"))).text).toBe("from gpt-4.1-nano");
    expect(calls).toEqual(["gpt-4.1-mini", "gpt-4.1-nano"]);
    expect(cooldowns.log).toEqual([
      "coolingUntil openai-main/gpt-4.1-mini",
      "recordFailure openai-main/gpt-4.1-mini",
      "coolingUntil openai-main/gpt-4.1-mini",
      "recordSuccess openai-backup/gpt-4.1-nano",
    ]);

    // Another router given the same store: the cooling model is not called.
    const second = routerWith(targets, { cooldowns });
    expect((await (await second.resolve({})).generate(userText("Hi"))).text).toBe("from gpt-4.1-nano");
    expect(calls).toEqual(["gpt-4.1-mini", "gpt-4.1-nano", "gpt-4.1-nano"]);
  });

  it("is not shared between routers given different stores", async () => {
    const calls: string[] = [];
    const failing = { now: true };
    const targets = [target(fakeModel("openai-main", "gpt-4.1-mini", calls, failing), "primary", { maxRetries: 0 }), target(fakeModel("openai-backup", "gpt-4.1-nano", calls), "fallback-chain")];
    const cooling = new CooldownRegistry({ failuresToOpen: 1, cooldownMilliseconds: 30_000, maxCooldownMilliseconds: 300_000 });
    await (await routerWith(targets, { cooldowns: cooling }).resolve({})).generate(userText("Hi"));
    expect(await cooling.coolingUntil(cooldownKey("openai-main", "gpt-4.1-mini"), Date.parse("2026-11-23T10:00:00Z"))).toBeDefined();
    failing.now = false;
    calls.length = 0;
    expect((await (await routerWith(targets, { cooldowns: new CooldownRegistry() }).resolve({})).generate(userText("Hi"))).text).toBe("from gpt-4.1-mini");
    expect(calls).toEqual(["gpt-4.1-mini"]);
  });
});
