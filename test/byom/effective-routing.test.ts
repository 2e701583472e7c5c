import { describe, expect, it } from "vitest";
import type { AgentConfig } from "../../src/byom/config-schema.js";
import { effectiveRouting } from "../../src/byom/project-routing.js";

const agent = (projects: AgentConfig["projects"]): AgentConfig => ({ version: 1, agent: "bot", defaultProvider: "main", fallbackChain: ["backup", "staging"], providers: [], projects });

describe("a project's effective routing", () => {
  it("is the agent's for a run without a project, or of a project with no settings", () => {
    for (const project of [undefined, "q4"]) {
      expect(effectiveRouting(agent({ staging: { defaultProvider: "staging" } }), project)).toMatchObject({ defaultProvider: "main", defaultFrom: "agent", fallbackChain: ["backup", "staging"] });
    }
  });

  it("puts the project's default first, its chain next, then the agent's default and chain, never repeating the project's default", () => {
    expect(effectiveRouting(agent({ staging: { defaultProvider: "staging", fallbackChain: ["other"] } }), "staging")).toMatchObject({
      defaultProvider: "staging",
      defaultFrom: "project",
      fallbackChain: ["other", "main", "backup"],
    });
  });

  it("takes a project's chain with the agent's default", () => {
    expect(effectiveRouting(agent({ eu: { fallbackChain: ["staging"] } }), "eu")).toMatchObject({ defaultProvider: "main", defaultFrom: "agent", fallbackChain: ["staging", "backup"] });
  });

  it("applies the agent's policy to every project, and a project's to its own runs only", () => {
    expect(effectiveRouting({ ...agent(undefined), policy: { requireNoTraining: true } }, "q4").requireNoTraining).toEqual({ by: "agent" });
    const projectPolicy = agent({ eu: { policy: { requireNoTraining: true } } });
    expect(effectiveRouting(projectPolicy, "eu").requireNoTraining).toEqual({ by: "project" });
    expect(effectiveRouting(projectPolicy, "us").requireNoTraining).toBeUndefined();
    // A project named like an object's own property is still only a name.
    expect(effectiveRouting(projectPolicy, "constructor").requireNoTraining).toBeUndefined();
  });
});
