import { describe, expect, it } from "vitest";
import { providerSchema } from "../../src/byom/config-schema.js";
import { draftProvider } from "../../src/byom/provider-options.js";
import { providerDescriptors } from "../../src/llm/provider-registry.js";

describe("each provider descriptor, as BYOM uses it", () => {
  it.each(providerDescriptors.map((descriptor) => [descriptor.type, descriptor] as const))("%s: the settings `byom add` builds from its options are the settings its schema accepts", (type, descriptor) => {
    const typeOptions: Record<string, string> = {};
    for (const name of Object.keys(descriptor.addOptions)) {
      const setting = (descriptor.settings as Record<string, { kind: string } | undefined>)[name];
      if (setting !== undefined) typeOptions[name] = setting.kind === "url" ? "https://example.test/" : "value";
    }
    const draft = draftProvider(type, { typeOptions, models: [descriptor.models.example] });
    expect(Object.keys(draft.settings).sort()).toEqual(Object.keys(descriptor.settings).sort());
    const config = {
      id: `${type}-example-1764100945699-r6jisd`,
      type,
      name: draft.name,
      settings: draft.settings,
      credentialVersion: null,
      models: draft.models,
      limits: draft.limits,
      enabled: true,
      createdAt: "2026-12-01T00:00:00.000Z",
      updatedAt: "2026-12-01T00:00:00.000Z",
    };
    expect(providerSchema.parse(config)).toEqual(config);
    expect(draft.name).toBe(`${descriptor.displayName} ${descriptor.models.example}`);
  });

  it("refuses a setting its type does not have when the agent file is read", () => {
    const config = {
      id: "anthropic-x-1764100945699-r6jisd",
      type: "anthropic",
      name: "x",
      settings: { organization: "org" },
      credentialVersion: 1,
      models: [{ id: "claude-haiku-4-5", role: "primary", verified: false }],
      limits: {},
      enabled: true,
      createdAt: "2026-12-01T00:00:00.000Z",
      updatedAt: "2026-12-01T00:00:00.000Z",
    };
    expect(providerSchema.safeParse(config).success).toBe(false);
    expect(providerSchema.safeParse({ ...config, settings: {} }).success).toBe(true);
  });
});
