import { describe, expect, it } from "vitest";
import { CooldownRegistry } from "../../../src/llm/router/cooldown-registry.js";

describe("cooldown registry (circuit breaker per provider and model)", () => {
  const key = CooldownRegistry.key("openai-main", "gpt-4.1-mini");

  it("opens after three failures in a row, for the cooldown, then lets the model be tried again", async () => {
    const cooldowns = new CooldownRegistry({ failuresToOpen: 3, cooldownMilliseconds: 30_000, maxCooldownMilliseconds: 300_000 });
    expect(await cooldowns.recordFailure(key, 1000)).toBeUndefined();
    expect(await cooldowns.recordFailure(key, 2000)).toBeUndefined();
    expect(await cooldowns.recordFailure(key, 3000)).toBe(33_000);
    expect(await cooldowns.coolingUntil(key, 32_999)).toBe(33_000);
    expect(await cooldowns.coolingUntil(key, 33_000)).toBeUndefined();
    // Tried again after the cooldown: one more failure opens it again at once.
    expect(await cooldowns.recordFailure(key, 40_000)).toBe(70_000);
  });

  it("closes on a success, counting failures from zero again", async () => {
    const cooldowns = new CooldownRegistry();
    await cooldowns.recordFailure(key, 0);
    await cooldowns.recordFailure(key, 0);
    await cooldowns.recordSuccess(key);
    expect(await cooldowns.recordFailure(key, 0)).toBeUndefined();
    expect(await cooldowns.coolingUntil(key, 0)).toBeUndefined();
  });

  it("lengthens a cooldown to the Retry-After, up to its maximum, and keeps models apart", async () => {
    const cooldowns = new CooldownRegistry({ failuresToOpen: 1, cooldownMilliseconds: 10_000, maxCooldownMilliseconds: 60_000 });
    expect(await cooldowns.recordFailure(key, 0, 45_000)).toBe(45_000);
    expect(await cooldowns.open(CooldownRegistry.key("openai-main", "gpt-4.1"), 0, 600_000)).toBe(60_000);
    expect(await cooldowns.coolingUntil(CooldownRegistry.key("openai-other", "gpt-4.1-mini"), 1)).toBeUndefined();
  });
});
