import type { LanguageModel } from "../../src/llm/language-model.js";
import { CooldownRegistry } from "../../src/llm/router/cooldown-registry.js";
import { LimiterRegistry } from "../../src/llm/router/limiter-registry.js";
import { ModelRouter } from "../../src/llm/router/model-router.js";
import type { RouteTarget } from "../../src/llm/router/route-target.js";
import type { UsageRecord } from "../../src/llm/router/usage-record.js";
import { InstantClock } from "./test-clocks.js";

/**
 * A router over these targets whose waits (backoff, cooldowns) pass at once, with its own limits
 * and cooldowns; it keeps the usage records and warnings it gives, and `model()` resolves a call.
 */
export function routed(targets: RouteTarget[]): { router: ModelRouter; records: UsageRecord[]; warnings: string[]; model(): Promise<LanguageModel> } {
  const records: UsageRecord[] = [];
  const warnings: string[] = [];
  const router = new ModelRouter({
    planner: { plan: async () => targets },
    labels: { agent: "bot" },
    warn: (message) => warnings.push(message),
    usage: { record: (record) => records.push(record) },
    clock: new InstantClock(),
    random: () => 0.5,
    limiters: new LimiterRegistry(),
    cooldowns: new CooldownRegistry(),
  });
  return { router, records, warnings, model: () => router.resolve({}) };
}
